import { unwrap } from 'idb';
import type { NormalizedSchema } from '@offgrid/schema';
import type { IDBPObjectStore, IDBPTransaction } from 'idb';
import { StorageError } from '../../errors';
import type { NewOutboxEntry, OutboxEntry } from '../../outbox/outbox-entry';
import { evaluatePredicate } from '../../predicates/evaluate-predicate';
import type { StorageQuery } from '../../predicates/predicate-node';
import { recordComparator } from '../../predicates/sort-records';
import type { StorageReader, StorageWriter, StoredRecord } from '../storage-adapter';
import { type KeyBounds, type PlanSource, accessPaths, planQuery } from './query-plan';
import { GROUP_MIN_ENTRIES, GROUP_SIZE, type OutboxGroup, makeGroup, mergeBySeq, withoutEntry } from './outbox-groups';
import { META_STORE, OUTBOX_BY_RECORD, OUTBOX_GROUP_BY_KEY, OUTBOX_GROUP_STORE, OUTBOX_STORE } from './store-layout';


function keyRange(b: KeyBounds | undefined): IDBKeyRange | undefined {
  if (!b) return undefined;
  if (b.lower !== undefined && b.upper !== undefined) return IDBKeyRange.bound(b.lower, b.upper, b.lowerOpen, b.upperOpen);
  if (b.lower !== undefined) return IDBKeyRange.lowerBound(b.lower, b.lowerOpen);
  if (b.upper !== undefined) return IDBKeyRange.upperBound(b.upper, b.upperOpen);
  return undefined;
}

const isMissing = (v: unknown) => v === null || v === undefined;

/**
 * Reads inside one IndexedDB transaction. Every method only awaits requests of `tx`, so a caller that
 * does the same keeps the transaction alive.
 */
export class IndexedDBReader<Mode extends IDBTransactionMode = 'readonly'> implements StorageReader {
  constructor(
    protected readonly tx: IDBPTransaction<unknown, string[], Mode>,
    private readonly schema: NormalizedSchema | undefined,
  ) {}

  protected store(model: string): IDBPObjectStore<unknown, string[], string, Mode> {
    if (!this.tx.objectStoreNames.contains(model)) {
      throw new StorageError('indexeddb', `no object store for model "${model}". Call prepare() with a schema that has it.`);
    }
    return this.tx.objectStore(model);
  }

  async get(model: string, key: string) {
    return (await this.store(model).get(key)) as StoredRecord | undefined;
  }

  async getMany(model: string, keys: readonly string[]) {
    const store = this.store(model);
    if (keys.length === 0) return [];
    // A bulk load into an empty key range (the common case) needs one count instead of a get per key.
    // Keys are strings; IndexedDB orders them by code unit, as JavaScript's default sort does.
    if (keys.length > 1) {
      let min = keys[0]!;
      let max = min;
      for (const k of keys) {
        if (k < min) min = k;
        else if (k > max) max = k;
      }
      if ((await store.count(IDBKeyRange.bound(min, max))) === 0) return keys.map(() => undefined);
    }
    // Every request is queued before any is awaited: one wait for the lot, not one per key.
    return (await Promise.all(keys.map((k) => store.get(k)))) as Array<StoredRecord | undefined>;
  }

  async count(model: string) {
    return this.store(model).count();
  }

  /** Whether the database has the grouped outbox store (every database `prepare` reached has). */
  protected hasGroups(): boolean {
    return this.tx.objectStoreNames.contains(OUTBOX_GROUP_STORE);
  }

  /** Remembers where the entries a read returned live (the writer uses it to change them without a lookup). */
  protected noteEntries(singles: readonly OutboxEntry[], groups: readonly OutboxGroup[]): void {
    void singles;
    void groups;
  }

  async outbox() {
    const [singles, groups] = await Promise.all([
      this.tx.objectStore(OUTBOX_STORE).getAll() as Promise<OutboxEntry[]>,
      this.hasGroups() ? (this.tx.objectStore(OUTBOX_GROUP_STORE).getAll() as Promise<OutboxGroup[]>) : [],
    ]);
    this.noteEntries(singles, groups);
    return mergeBySeq(singles, groups);
  }

  async outboxFor(model: string, key: string) {
    const [singles, groups] = await Promise.all([
      this.tx.objectStore(OUTBOX_STORE).index(OUTBOX_BY_RECORD).getAll([model, key]) as Promise<OutboxEntry[]>,
      this.hasGroups()
        ? (this.tx.objectStore(OUTBOX_GROUP_STORE).index(OUTBOX_GROUP_BY_KEY).getAll(key) as Promise<OutboxGroup[]>)
        : [],
    ]);
    this.noteEntries(singles, groups);
    if (groups.length === 0) return singles;
    const mine = groups.map((g) => ({ ...g, entries: g.entries.filter((e) => e.model === model && e.key === key) }));
    return mergeBySeq(singles, mine);
  }

  async getMeta<T>(name: string) {
    return (await this.tx.objectStore(META_STORE).get(name)) as T | undefined;
  }

  async query(model: string, query: StorageQuery): Promise<StoredRecord[]> {
    const store = this.store(model);
    const def = this.schema?.models[model];
    const plan = planQuery(def, def ? accessPaths(def, (n) => store.indexNames.contains(n)) : [], query);
    const offset = query.offset ?? 0;
    if (plan.empty || query.limit === 0) return [];
    const matches = (r: StoredRecord, s: PlanSource) =>
      (!s.onlyMissing || isMissing(r[s.onlyMissing])) && evaluatePredicate(query.predicate, r);

    if (plan.ordered && query.limit !== undefined) {
      // Walk the cursor in the query's order and stop as soon as the page is full.
      const out: StoredRecord[] = [];
      let skip = offset;
      const limit = query.limit;
      for (const s of plan.sources) {
        const source = s.index === undefined ? store : store.index(s.index);
        const range = keyRange(s.bounds);
        const native = unwrap(source as never) as unknown as IDBObjectStore | IDBIndex;
        // IndexedDB 3's getAll options read the page in the query's direction in one request. When every
        // record it returns matches, they are the answer; otherwise fall through and read this source again.
        const page = await firstRecords(native, range, plan.direction, skip + (limit - out.length));
        if (page && page.every((r) => matches(r, s))) {
          for (const r of page) {
            if (skip > 0) skip--;
            else if (out.push(r) >= limit) return out;
          }
          continue;
        }
        // A range at most twice the page is cheaper to read in one getAll than step by step (each cursor
        // step is a round trip through the event loop), even in reverse; a wider one is walked and cut short.
        if ((await source.count(range)) <= 2 * (offset + limit)) {
          const values = (await source.getAll(range)) as StoredRecord[];
          if (plan.direction === 'prev') values.reverse();
          for (const r of values) {
            if (!matches(r, s)) continue;
            if (skip > 0) skip--;
            else if (out.push(r) >= limit) return out;
          }
          continue;
        }
        const full = await walkCursor(native, range, plan.direction, (r) => {
          if (!matches(r, s)) return true;
          if (skip > 0) {
            skip--;
            return true;
          }
          return out.push(r) < limit;
        });
        if (full) return out;
      }
      return out;
    }

    const candidates: StoredRecord[] = [];
    const keyOf = new Map<StoredRecord, string>();
    for (const s of plan.sources) {
      const source = s.index === undefined ? store : store.index(s.index);
      const range = keyRange(s.bounds);
      // getAll is much faster than a cursor; the keys come in the same order, for the tie-break.
      const [values, keys] = await Promise.all([source.getAll(range), plan.ordered ? undefined : source.getAllKeys(range)]);
      if (plan.ordered && plan.direction === 'prev') values.reverse();
      values.forEach((value, i) => {
        const r = value as StoredRecord;
        if (!matches(r, s)) return;
        candidates.push(r);
        if (keys) keyOf.set(r, String(keys[i]));
      });
    }
    if (!plan.ordered) candidates.sort(recordComparator(query.sort, (r) => keyOf.get(r) ?? ''));
    return candidates.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  }
}

/** Writes inside one readwrite IndexedDB transaction; reads see them at once. */
export class IndexedDBWriter extends IndexedDBReader<'readwrite'> implements StorageWriter {
  /**
   * The group holding (a copy of) each outbox seq this transaction has looked at, or null where no group does.
   * Kept current as this transaction rewrites groups, so changing an entry it just read needs no lookup.
   */
  private readonly holders = new Map<number, OutboxGroup | null>();

  protected override noteEntries(singles: readonly OutboxEntry[], groups: readonly OutboxGroup[]): void {
    // A read returns every group that could hold its singles' seqs (all groups, or all with that record's key).
    for (const e of singles) this.holders.set(e.seq, null);
    for (const g of groups) for (const e of g.entries) this.holders.set(e.seq, g);
  }

  /** The group holding `seq`, if any: the one with the smallest key at or above it, when it lists `seq`. */
  private async groupOf(seq: number): Promise<OutboxGroup | undefined> {
    const known = this.holders.get(seq);
    if (known !== undefined) return known ?? undefined;
    if (!this.hasGroups()) return undefined;
    const [group] = (await this.tx.objectStore(OUTBOX_GROUP_STORE).getAll(IDBKeyRange.lowerBound(seq), 1)) as OutboxGroup[];
    const holds = group?.entries.some((e) => e.seq === seq);
    this.holders.set(seq, holds ? group! : null);
    return holds ? group : undefined;
  }

  /** Requests the rewrite of `group` without entry `seq` (its deletion when that was the last entry). */
  private dropFromGroup(group: OutboxGroup, seq: number): Promise<unknown> {
    const rest = withoutEntry(group, seq);
    this.holders.set(seq, null);
    for (const e of rest.entries) this.holders.set(e.seq, rest);
    const store = this.tx.objectStore(OUTBOX_GROUP_STORE);
    return rest.entries.length === 0 ? store.delete(group.last) : store.put(rest);
  }

  async put(model: string, key: string, record: StoredRecord) {
    await this.store(model).put(record, key);
  }

  async putMany(model: string, records: ReadonlyArray<readonly [string, StoredRecord]>) {
    const store = unwrap(this.store(model) as never) as unknown as IDBObjectStore;
    await inChunks(records, (chunk) => settleRequests(chunk.map(([key, record]) => store.put(record, key))));
  }

  async delete(model: string, key: string) {
    await this.store(model).delete(key);
  }

  async deleteAll(model: string) {
    await this.store(model).clear();
  }

  async putOutbox(entry: NewOutboxEntry) {
    const { seq, ...rest } = entry;
    const outbox = this.tx.objectStore(OUTBOX_STORE);
    // An in-line key that is present but undefined is an invalid key, not "generate one", so drop it.
    if (seq === undefined) return (await outbox.add(rest)) as number;
    const group = await this.groupOf(seq);
    const copy = group?.entries.find((e) => e.seq === seq);
    // The single value shadows the group's copy. Only a copy filed under another record (never done by the
    // store, but allowed) leaves the group, or outboxFor of that record would still find it.
    const moved = group && copy && (copy.model !== rest.model || copy.key !== rest.key) ? this.dropFromGroup(group, seq) : undefined;
    await Promise.all([moved, outbox.put({ ...rest, seq })]);
    return seq;
  }

  async putOutboxMany(entries: readonly NewOutboxEntry[]) {
    const outbox = unwrap(this.tx.objectStore(OUTBOX_STORE) as never) as unknown as IDBObjectStore;
    if (entries.length < GROUP_MIN_ENTRIES || !this.hasGroups()) {
      // An in-line key that is present but undefined is invalid, so an entry carrying `seq` loses it first.
      const seqs = await inChunks(entries, (chunk) => settleRequests(chunk.map((e) => outbox.add('seq' in e ? withoutSeq(e) : e))));
      return seqs as number[];
    }
    // Seqs for the lot from the outbox's own key generator, so they interleave with single entries' seqs
    // exactly as one add per entry would: a placeholder takes the first, a placeholder at the last moves
    // the generator past them, and both go again. Then one value per GROUP_SIZE entries.
    const [first] = (await settleRequests([outbox.add({})])) as [number];
    const last = first + entries.length - 1;
    outbox.put({ seq: last });
    outbox.delete(IDBKeyRange.bound(first, last));
    const groups = unwrap(this.tx.objectStore(OUTBOX_GROUP_STORE) as never) as unknown as IDBObjectStore;
    const seqs = entries.map((_, i) => first + i);
    const requests: IDBRequest[] = [];
    for (let i = 0; i < entries.length; i += GROUP_SIZE) {
      const group = makeGroup(entries.slice(i, i + GROUP_SIZE).map((e, j) => ({ ...e, seq: first + i + j })));
      for (const e of group.entries) this.holders.set(e.seq, group);
      requests.push(groups.put(group));
    }
    await settleRequests(requests);
    return seqs;
  }

  async deleteOutbox(seq: number) {
    const group = await this.groupOf(seq);
    // Both: a grouped entry may also have a single value shadowing it.
    await Promise.all([group && this.dropFromGroup(group, seq), this.tx.objectStore(OUTBOX_STORE).delete(seq)]);
  }

  async setMeta(name: string, value: unknown) {
    await this.tx.objectStore(META_STORE).put(value, name);
  }
}

/**
 * Requests queued per wait. Enough to keep the engine busy without a round trip per request, few enough
 * that the queue stays short (fake-indexeddb dequeues with `Array.shift`, linear in the queue's length).
 */
const CHUNK = 500;

async function inChunks<T>(items: readonly T[], run: (chunk: readonly T[]) => Promise<unknown[]>): Promise<unknown[]> {
  if (items.length <= CHUNK) return run(items);
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i += CHUNK) for (const r of await run(items.slice(i, i + CHUNK))) out.push(r);
  return out;
}

function withoutSeq({ seq, ...rest }: NewOutboxEntry): Omit<NewOutboxEntry, 'seq'> {
  void seq;
  return rest;
}

/**
 * Waits for requests queued together (IndexedDB runs them in order) with one callback each and one promise
 * for the lot, instead of a promise per request; rejects with the first failure.
 */
function settleRequests(requests: IDBRequest[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const results = new Array<unknown>(requests.length);
    let left = requests.length;
    if (left === 0) return resolve(results);
    requests.forEach((request, i) => {
      request.onsuccess = () => {
        results[i] = request.result;
        if (--left === 0) resolve(results);
      };
      request.onerror = () => reject(request.error);
    });
  });
}

interface Idb3Source {
  getAllRecords: unknown;
  getAll(options: { query?: IDBKeyRange | null; count?: number; direction?: IDBCursorDirection }): IDBRequest<unknown[]>;
}

/**
 * The first `count` records of a range in `direction`, in one request, where the engine has IndexedDB 3
 * (Chromium 141+; told by `getAllRecords`, whose options form of `getAll` reads values only, without the
 * keys `getAllRecords` would also copy out); undefined elsewhere (then the caller uses count + getAll or a cursor).
 */
function firstRecords(
  source: IDBObjectStore | IDBIndex,
  range: IDBKeyRange | undefined,
  direction: IDBCursorDirection,
  count: number,
): Promise<StoredRecord[] | undefined> {
  if (!('getAllRecords' in source) || count <= 0) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const request = (source as unknown as Idb3Source).getAll({ query: range ?? null, count, direction });
    request.onerror = () => reject(request.error);
    request.onsuccess = () => resolve(request.result as StoredRecord[]);
  });
}

/**
 * Walks a native cursor with request callbacks, not a promise per step: each awaited `continue()` costs a
 * task round trip, which made ordered, limited queries several times slower than they need to be.
 * `visit` returns false to stop; resolves true when it stopped early.
 */
function walkCursor(
  source: IDBObjectStore | IDBIndex,
  range: IDBKeyRange | undefined,
  direction: IDBCursorDirection,
  visit: (record: StoredRecord) => boolean,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const request = source.openCursor(range ?? null, direction);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return resolve(false);
      if (!visit(cursor.value as StoredRecord)) return resolve(true);
      cursor.continue();
    };
  });
}
