import type { NormalizedSchema } from '@offgrid/schema';
import type { NewOutboxEntry, OutboxEntry } from '../../outbox/outbox-entry';
import { evaluatePredicate } from '../../predicates/evaluate-predicate';
import type { StorageQuery } from '../../predicates/predicate-node';
import { recordComparator } from '../../predicates/sort-records';
import { WriteQueue } from '../write-queue';
import type { StorageAdapter, StorageReader, StorageWriter, StoredRecord } from '../storage-adapter';

const DELETED = Symbol('deleted');

interface MemoryState {
  tables: Map<string, Map<string, StoredRecord>>;
  outbox: Map<number, OutboxEntry>;
  /** Outbox seqs by record, so a save finds its record's entries without scanning the outbox. */
  outboxByRecord: RecordIndex;
  meta: Map<string, unknown>;
  nextSeq: number;
}

function emptyState(): MemoryState {
  return { tables: new Map(), outbox: new Map(), outboxByRecord: new Map(), meta: new Map(), nextSeq: 1 };
}

/**
 * Outbox seqs by model, then record key: a lone seq as a number (the usual case, no array per record),
 * several as an array. Two levels, so no `model + key` string is built per lookup.
 */
type RecordIndex = Map<string, Map<string, number | number[]>>;

function indexSeq(index: RecordIndex, model: string, key: string, seq: number): void {
  let byKey = index.get(model);
  if (!byKey) index.set(model, (byKey = new Map()));
  const seqs = byKey.get(key);
  if (seqs === undefined) byKey.set(key, seq);
  else if (typeof seqs === 'number') {
    if (seqs !== seq) byKey.set(key, [seqs, seq]);
  } else if (!seqs.includes(seq)) seqs.push(seq);
}

function unindexSeq(index: RecordIndex, model: string, key: string, seq: number): void {
  const byKey = index.get(model);
  const seqs = byKey?.get(key);
  if (seqs === undefined) return;
  const rest = typeof seqs === 'number' ? [] : seqs.filter((s) => s !== seq);
  if (typeof seqs === 'number' && seqs !== seq) return;
  if (rest.length === 0) byKey!.delete(key);
  else byKey!.set(key, rest.length === 1 ? rest[0]! : rest);
}

function indexedSeqs(index: RecordIndex | undefined, model: string, key: string): number[] {
  const seqs = index?.get(model)?.get(key);
  return seqs === undefined ? [] : typeof seqs === 'number' ? [seqs] : seqs;
}

/**
 * Runs one query over an in-memory table. Exported for the memory adapter's reader and write overlay.
 * The key tie-break uses the map key, which is the record key.
 */
function runQuery(entries: Iterable<[string, StoredRecord]>, query: StorageQuery): StoredRecord[] {
  const keyOf = new Map<StoredRecord, string>();
  const matched: StoredRecord[] = [];
  for (const [key, record] of entries) {
    if (evaluatePredicate(query.predicate, record)) {
      keyOf.set(record, key);
      matched.push(record);
    }
  }
  matched.sort(recordComparator(query.sort, (r) => keyOf.get(r)!));
  const start = query.offset ?? 0;
  return matched.slice(start, query.limit === undefined ? undefined : start + query.limit);
}

class MemoryReader implements StorageReader {
  constructor(protected readonly state: MemoryState) {}
  protected table(model: string): Map<string, StoredRecord> {
    let t = this.state.tables.get(model);
    if (!t) this.state.tables.set(model, (t = new Map()));
    return t;
  }
  async get(model: string, key: string) {
    return this.table(model).get(key);
  }

  async getMany(model: string, keys: readonly string[]) {
    const table = this.table(model);
    return keys.map((k) => table.get(k));
  }
  async query(model: string, query: StorageQuery) {
    return runQuery(this.table(model), query);
  }
  async count(model: string) {
    return this.table(model).size;
  }
  async outbox() {
    return [...this.state.outbox.values()].sort((a, b) => a.seq - b.seq);
  }
  async outboxFor(model: string, key: string) {
    return indexedSeqs(this.state.outboxByRecord, model, key)
      .map((seq) => this.state.outbox.get(seq)!)
      .sort((a, b) => a.seq - b.seq);
  }
  async getMeta<T>(name: string) {
    return this.state.meta.get(name) as T | undefined;
  }
}

/** A write transaction: changes go to an overlay that is applied on commit and dropped on error. */
class MemoryWriter extends MemoryReader implements StorageWriter {
  private readonly records = new Map<string, Map<string, StoredRecord | typeof DELETED>>();
  private readonly cleared = new Set<string>();
  private readonly outboxChanges = new Map<number, OutboxEntry | typeof DELETED>();
  /**
   * Seqs this transaction put, by record, so `outboxFor` never scans the transaction's changes; built on the
   * first `outboxFor` (a bulk insert never asks) and kept up to date after.
   */
  private outboxTouched: RecordIndex | undefined;
  private readonly metaChanges = new Map<string, unknown>();
  private nextSeq: number;

  private readonly firstSeq: number;

  constructor(state: MemoryState) {
    super(state);
    this.nextSeq = state.nextSeq;
    this.firstSeq = state.nextSeq;
  }

  private overlay(model: string) {
    let o = this.records.get(model);
    if (!o) this.records.set(model, (o = new Map()));
    return o;
  }

  private *merged(model: string): Iterable<[string, StoredRecord]> {
    const o = this.overlay(model);
    if (!this.cleared.has(model)) {
      for (const [k, r] of this.table(model)) if (!o.has(k)) yield [k, r];
    }
    for (const [k, r] of o) if (r !== DELETED) yield [k, r];
  }

  override async get(model: string, key: string) {
    return this.current(model, key);
  }

  private current(model: string, key: string): StoredRecord | undefined {
    const o = this.overlay(model).get(key);
    if (o !== undefined) return o === DELETED ? undefined : o;
    return this.cleared.has(model) ? undefined : this.table(model).get(key);
  }

  override async getMany(model: string, keys: readonly string[]) {
    return keys.map((k) => this.current(model, k));
  }
  override async query(model: string, query: StorageQuery) {
    return runQuery(this.merged(model), query);
  }
  override async count(model: string) {
    let n = 0;
    for (const _ of this.merged(model)) n++;
    return n;
  }
  override async outbox() {
    const all = new Map(this.state.outbox);
    for (const [seq, e] of this.outboxChanges) {
      if (e === DELETED) all.delete(seq);
      else all.set(seq, e);
    }
    return [...all.values()].sort((a, b) => a.seq - b.seq);
  }
  override async outboxFor(model: string, key: string) {
    if (!this.outboxTouched) {
      this.outboxTouched = new Map();
      for (const [seq, e] of this.outboxChanges) if (e !== DELETED) indexSeq(this.outboxTouched, e.model, e.key, seq);
    }
    const seqs = new Set([...indexedSeqs(this.state.outboxByRecord, model, key), ...indexedSeqs(this.outboxTouched, model, key)]);
    const entries: OutboxEntry[] = [];
    for (const seq of seqs) {
      const e = this.outboxChanges.has(seq) ? this.outboxChanges.get(seq)! : this.state.outbox.get(seq);
      if (e && e !== DELETED && e.model === model && e.key === key) entries.push(e);
    }
    return entries.sort((a, b) => a.seq - b.seq);
  }

  override async getMeta<T>(name: string) {
    return (this.metaChanges.has(name) ? this.metaChanges.get(name) : this.state.meta.get(name)) as T | undefined;
  }
  async put(model: string, key: string, record: StoredRecord) {
    this.overlay(model).set(key, record);
  }

  async putMany(model: string, records: ReadonlyArray<readonly [string, StoredRecord]>) {
    const o = this.overlay(model);
    for (const [key, record] of records) o.set(key, record);
  }
  async delete(model: string, key: string) {
    this.overlay(model).set(key, DELETED);
  }
  async deleteAll(model: string) {
    this.cleared.add(model);
    this.overlay(model).clear();
  }
  async putOutbox(entry: NewOutboxEntry) {
    return this.putEntry(entry, entry.seq);
  }

  private putEntry(entry: NewOutboxEntry, given: number | undefined): number {
    const seq = given ?? this.nextSeq++;
    if (seq >= this.nextSeq) this.nextSeq = seq + 1;
    const stored = { ...entry, seq };
    this.outboxChanges.set(seq, stored);
    if (this.outboxTouched) indexSeq(this.outboxTouched, stored.model, stored.key, seq);
    return seq;
  }

  async putOutboxMany(entries: readonly NewOutboxEntry[]) {
    return entries.map((e) => this.putEntry(e, undefined));
  }

  async deleteOutbox(seq: number) {
    // The record's index entry may stay: `outboxFor` resolves every seq and skips deleted ones.
    this.outboxChanges.set(seq, DELETED);
  }

  async setMeta(name: string, value: unknown) {
    this.metaChanges.set(name, value);
  }

  commit() {
    for (const model of this.cleared) this.table(model).clear();
    for (const [model, o] of this.records) {
      const t = this.table(model);
      for (const [k, r] of o) {
        if (r === DELETED) t.delete(k);
        else t.set(k, r);
      }
    }
    const index = this.state.outboxByRecord;
    for (const [seq, e] of this.outboxChanges) {
      // Seqs from this transaction's own appends were never committed: nothing to unindex.
      const previous = seq < this.firstSeq ? this.state.outbox.get(seq) : undefined;
      if (previous) unindexSeq(index, previous.model, previous.key, seq);
      if (e === DELETED) this.state.outbox.delete(seq);
      else {
        this.state.outbox.set(seq, e);
        indexSeq(index, e.model, e.key, seq);
      }
    }
    for (const [k, v] of this.metaChanges) this.state.meta.set(k, v);
    this.state.nextSeq = this.nextSeq;
  }
}

/**
 * Keeps everything in memory: for tests, server-side rendering, and apps that need no persistence.
 * Pass the same `MemoryAdapter` instance to a new store to simulate a restart.
 *
 * @example
 * const store = createDataStore({ schema, storage: new MemoryAdapter() })
 */
export class MemoryAdapter implements StorageAdapter {
  readonly name = 'memory';
  private state = emptyState();
  private readonly writes = new WriteQueue();

  async open(): Promise<NormalizedSchema | undefined> {
    return this.state.meta.get('schema') as NormalizedSchema | undefined;
  }
  async prepare(schema: NormalizedSchema): Promise<void> {
    this.state.meta.set('schema', schema);
  }
  async reset(): Promise<void> {
    await this.writes.run(async () => {
      this.state = emptyState();
    });
  }
  read<T>(fn: (tx: StorageReader) => Promise<T>): Promise<T> {
    return fn(new MemoryReader(this.state));
  }
  write<T>(fn: (tx: StorageWriter) => Promise<T>): Promise<T> {
    return this.writes.run(async () => {
      const tx = new MemoryWriter(this.state);
      const result = await fn(tx);
      tx.commit();
      return result;
    });
  }
  async close(): Promise<void> {}
}
