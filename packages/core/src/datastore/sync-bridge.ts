import { MANAGED_FIELDS, modelKeyOf } from '@offgrid/schema';
import type { Subject } from 'rxjs';
import type { DataStoreEvent } from '../events/datastore-event';
import { lazilyMaterializedChanges, type ChangeFeed, type RecordChange } from '../observe/change-feed';
import type { OutboxEntry } from '../outbox/outbox-entry';
import type { StorageWriter, StoredRecord } from '../storage/storage-adapter';
import type { StoreContext } from './store-context';

type Rec = Record<string, unknown>;

/**
 * Where a remote record that arrived while a local change to it was pending is kept until that change
 * is answered. The answer to a push can be older than what the client has already been sent (the live
 * update of another writer can overtake the HTTP response), and the cursor has moved past it, so without
 * this the newer server state would never be applied.
 */
const skippedMetaName = (model: string, key: string) => `sync:skipped:${model}:${key}`;

const versionOf = (r: Rec | undefined | null): number => (typeof r?._version === 'number' ? r._version : 0);

/** Counts of what a remote page changed locally, for `modelSynced`. */
export interface ApplyCounts {
  new: number;
  updated: number;
  deleted: number;
  /** Records left alone because a local change is pending (they are rebased when it is acknowledged). */
  skipped: number;
}

/**
 * One full sync of a model, across its pages (`SyncBridge.beginFullSync`).
 *
 * When the model had no local records and no outbox entries as the sync began, a record of a page whose key
 * nothing else has written since (no earlier page, live change, acknowledgement or local change) cannot
 * exist locally: it is written without reading the local copy first, in one bulk put per page, and the
 * closing reconciliation looks only at the keys others wrote instead of reading the whole model back.
 */
export interface FullSyncRun {
  readonly model: string;
  /** Every key the sync's pages carried. */
  readonly seen: Set<string>;
  /** Decided by the first page: the model was empty (records and outbox) when the sync began. */
  fromEmpty: boolean | undefined;
  /** Keys that writers other than this sync's pages changed, or changes queued, since the sync began. */
  readonly touched: Set<string>;
  /** Keys of `seen` that the pages left without a local record. */
  readonly absent: Set<string>;
}

/**
 * The narrow contract between the sync engine and the store: remote records and acknowledgements go
 * through the same transactional write path as local writes and reach live queries through the same
 * change feed. The engine never touches storage directly; the store never knows the protocol.
 */
export class SyncBridge {
  /**
   * Versions at which records were seen deleted, so an older copy that arrives later (a live create
   * buffered during the sync whose page carried the tombstone) does not bring the record back. Local
   * storage keeps no tombstones; stale copies only come from this process's live messages, so memory
   * is enough. Bounded: the oldest entries go first.
   */
  private readonly tombstones = new Map<string, number>();

  /** Full syncs under way that may have begun on an empty model, by model: other writes to it are noted. */
  private readonly emptyRuns = new Map<string, FullSyncRun>();

  constructor(
    private readonly ctx: StoreContext,
    private readonly feed: ChangeFeed,
    private readonly events: Subject<DataStoreEvent>,
    private readonly onOutboxChange: (delta: number) => void,
  ) {}

  /** Per model, the fields a record is stored with: its own non-relation fields and the managed ones. */
  private readonly storedFields = new Map<string, ReadonlySet<string>>();

  private storedFromRemote(model: string, remote: Rec): StoredRecord {
    let fields = this.storedFields.get(model);
    if (!fields) {
      const def = this.ctx.model(model);
      fields = new Set([...MANAGED_FIELDS, ...Object.keys(def.fields).filter((k) => !def.fields[k]!.relation)]);
      this.storedFields.set(model, fields);
    }
    const out: StoredRecord = {};
    // Once per synced record: no entries array, one set lookup per field.
    for (const k in remote) {
      const v = remote[k];
      if (v !== undefined && fields.has(k)) out[k] = v;
    }
    if (out._deleted === null) out._deleted = false;
    return out;
  }

  private async write<T>(fn: (tx: StorageWriter, changes: RecordChange[]) => Promise<T>): Promise<T> {
    const changes: RecordChange[] = [];
    const result = await this.ctx.storage.write((tx) => fn(tx, changes));
    // Records are made only for the listeners that read them (most changes of a first sync have none).
    this.feed.emit({ source: 'remote', changes: lazilyMaterializedChanges(changes, this.ctx.materialize) });
    return result;
  }

  /** Puts or deletes one remote record unless a local change is pending or the local copy is newer. */
  private async applyOne(
    tx: StorageWriter,
    model: string,
    remote: Rec,
    changes: RecordChange[],
    counts: ApplyCounts,
    pendingKeys?: ReadonlySet<string>,
  ): Promise<string> {
    const stored = this.storedFromRemote(model, remote);
    const key = modelKeyOf(this.ctx.model(model), stored);
    const hasPending = pendingKeys ? pendingKeys.has(key) : (await tx.outboxFor(model, key)).some((e) => e.status !== 'rejected');
    if (hasPending) {
      counts.skipped++;
      const name = skippedMetaName(model, key);
      if (versionOf(stored) > versionOf(await tx.getMeta<StoredRecord>(name))) await tx.setMeta(name, stored);
      return key;
    }
    const local = await tx.get(model, key);
    const localVersion = typeof local?._version === 'number' ? local._version : 0;
    const remoteVersion = typeof stored._version === 'number' ? stored._version : 0;
    if (local && remoteVersion <= localVersion && remoteVersion !== 0) return key;
    if (!local && remoteVersion <= (this.tombstones.get(`${model}\u0000${key}`) ?? 0)) return key;
    if (stored._deleted) {
      this.rememberTombstone(model, key, remoteVersion);
      if (local) {
        await tx.delete(model, key);
        changes.push({ model, key, type: 'delete', previous: local });
        counts.deleted++;
      }
      return key;
    }
    await tx.put(model, key, stored);
    changes.push({ model, key, type: local ? 'update' : 'insert', record: stored, ...(local ? { previous: local } : {}) });
    if (local) counts.updated++;
    else counts.new++;
    return key;
  }

  private rememberTombstone(model: string, key: string, version: number): void {
    const id = `${model}\u0000${key}`;
    this.tombstones.delete(id);
    this.tombstones.set(id, version);
    if (this.tombstones.size > 10_000) this.tombstones.delete(this.tombstones.keys().next().value!);
  }

  /**
   * Notes a write to a record that does not come from a full sync's pages. Called when the write is asked
   * for, before its transaction exists: storage runs write transactions in the order they were asked for,
   * so a write asked for earlier has committed before the first page looks whether the model is empty.
   */
  private touch(model: string, key: string): void {
    this.emptyRuns.get(model)?.touched.add(key);
  }

  /**
   * Begins a full sync of `model`: pass the run to each of its pages' `applyRemote` and to `reconcile`,
   * and end it with `endFullSync`, also when the sync fails.
   */
  beginFullSync(model: string): FullSyncRun {
    const run: FullSyncRun = { model, seen: new Set(), fromEmpty: undefined, touched: new Set(), absent: new Set() };
    // Registered now, before the first page's transaction is asked for (see `touch`).
    this.emptyRuns.set(model, run);
    return run;
  }

  endFullSync(run: FullSyncRun): void {
    if (this.emptyRuns.get(run.model) === run) this.emptyRuns.delete(run.model);
  }

  /**
   * Applies a page of remote records in one transaction, and stores `meta` (the sync cursor) in the same
   * transaction, so a cursor never runs ahead of the records it covers.
   */
  async applyRemote(model: string, items: Rec[], meta?: { name: string; value: unknown }, run?: FullSyncRun): Promise<ApplyCounts> {
    const counts: ApplyCounts = { new: 0, updated: 0, deleted: 0, skipped: 0 };
    // A live change (or a delta page) while a full sync that began on an empty model runs: that sync must read these keys.
    if (!run && this.emptyRuns.has(model)) for (const item of items) this.touch(model, modelKeyOf(this.ctx.model(model), this.storedFromRemote(model, item)));
    await this.write(async (tx, changes) => {
      // For a page, one read of the outbox beats a lookup per record (the outbox is small next to a page).
      let pendingKeys: Set<string> | undefined;
      let queuedKeys: Set<string> | undefined;
      if (items.length > 1 || run) {
        pendingKeys = new Set();
        queuedKeys = new Set();
        for (const e of await tx.outbox()) {
          if (e.model !== model) continue;
          queuedKeys.add(e.key);
          if (e.status !== 'rejected') pendingKeys.add(e.key);
        }
      }
      if (run && run.fromEmpty === undefined) {
        run.fromEmpty = queuedKeys!.size === 0 && (await tx.count(model)) === 0;
        if (!run.fromEmpty) this.endFullSync(run);
      }
      if (run?.fromEmpty) {
        // A key with a queued change (any status) was written locally during the sync: it is read as usual.
        for (const key of queuedKeys!) run.touched.add(key);
        await this.applyFromEmpty(tx, run, items, changes, counts, pendingKeys!);
      } else {
        for (const item of items) {
          const key = await this.applyOne(tx, model, item, changes, counts, pendingKeys);
          run?.seen.add(key);
        }
      }
      if (meta) await tx.setMeta(meta.name, meta.value);
    });
    return counts;
  }

  /** A page of a full sync that began on an empty model (see {@link FullSyncRun}). */
  private async applyFromEmpty(
    tx: StorageWriter,
    run: FullSyncRun,
    items: Rec[],
    changes: RecordChange[],
    counts: ApplyCounts,
    pendingKeys: ReadonlySet<string>,
  ): Promise<void> {
    const { model } = run;
    const def = this.ctx.model(model);
    let puts: Array<readonly [string, StoredRecord]> = [];
    const flush = async () => {
      if (puts.length === 0) return;
      await tx.putMany(model, puts);
      puts = [];
    };
    for (const item of items) {
      const stored = this.storedFromRemote(model, item);
      const key = modelKeyOf(def, stored);
      if (run.seen.has(key) || run.touched.has(key)) {
        // Written before (by an earlier copy in these pages, or by someone else): the usual read and compare,
        // after the puts queued so far, so that it reads what this page wrote.
        await flush();
        await this.applyOne(tx, model, item, changes, counts, pendingKeys);
        run.seen.add(key);
        // Whether the pages left it there; `reconcile` reads the keys others wrote itself.
        if (!run.touched.has(key)) {
          if (await tx.get(model, key)) run.absent.delete(key);
          else run.absent.add(key);
        }
        continue;
      }
      run.seen.add(key);
      // As `applyOne` with no local record: an older copy of a record seen deleted stays deleted.
      const version = versionOf(stored);
      const tombstone = this.tombstones.get(`${model}\u0000${key}`) ?? 0;
      if (version <= tombstone || stored._deleted) {
        if (stored._deleted && version > tombstone) this.rememberTombstone(model, key, version);
        run.absent.add(key);
        continue;
      }
      puts.push([key, stored]);
      changes.push({ model, key, type: 'insert', record: stored });
      counts.new++;
    }
    await flush();
  }

  /**
   * A record that left the sync expression: its local copy is removed (no outbox entry; the server keeps
   * it), unless a local change to it is pending. No tombstone is kept, so a wider expression brings it back.
   */
  async evict(model: string, remote: Rec): Promise<void> {
    const key = modelKeyOf(this.ctx.model(model), this.storedFromRemote(model, remote));
    this.touch(model, key);
    await this.write(async (tx, changes) => {
      if ((await tx.outboxFor(model, key)).some((e) => e.status !== 'rejected')) return;
      const local = await tx.get(model, key);
      if (!local) return;
      await tx.delete(model, key);
      changes.push({ model, key, type: 'delete', previous: local });
    });
  }

  /**
   * After a full sync: removes local records the server no longer has (no ghosts), keeping pending ones.
   * A sync that began on an empty model looks only at the keys others wrote meanwhile, and proves by a count
   * that no other record is there; if one is (a writer it could not see), it reads the whole model as usual.
   */
  async reconcile(run: FullSyncRun): Promise<number> {
    const { model, seen } = run;
    const def = this.ctx.model(model);
    return this.write(async (tx, changes) => {
      let removed = 0;
      const pendingKeys = new Set((await tx.outbox()).filter((e) => e.model === model).map((e) => e.key));
      if (run.fromEmpty) {
        const others = new Set([...run.touched, ...pendingKeys]);
        const keys = [...others];
        const locals = keys.length > 0 ? await tx.getMany(model, keys) : [];
        let present = 0;
        let seenAmongOthers = 0;
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const local = locals[i];
          if (seen.has(key)) seenAmongOthers++;
          if (!local) continue;
          if (!seen.has(key) && !pendingKeys.has(key)) {
            await tx.delete(model, key);
            changes.push({ model, key, type: 'delete', previous: local });
            removed++;
          } else present++;
        }
        let absentOnlyByPages = 0;
        for (const key of run.absent) if (!others.has(key)) absentOnlyByPages++;
        // Every local record is one only the pages wrote, or one of `others` still there.
        if ((await tx.count(model)) === seen.size - seenAmongOthers - absentOnlyByPages + present) return removed;
      }
      for (const record of await tx.query(model, {})) {
        const key = modelKeyOf(def, record);
        if (seen.has(key) || pendingKeys.has(key)) continue;
        await tx.delete(model, key);
        changes.push({ model, key, type: 'delete', previous: record });
        removed++;
      }
      return removed;
    });
  }

  getMeta<T>(name: string): Promise<T | undefined> {
    return this.ctx.storage.read((tx) => tx.getMeta<T>(name));
  }

  setMeta(name: string, value: unknown): Promise<void> {
    return this.ctx.storage.write((tx) => tx.setMeta(name, value));
  }

  /**
   * Takes the next changes to send: the oldest unsettled change of each record, marked in flight.
   *
   * A change stays `inflight` from its first send until the server's answer is processed, across failed
   * requests, lost responses and restarts: it may already be applied on the server, so it is sent again
   * unchanged, with the same mutation id (the server answers a repeat with its first answer), and later
   * local edits queue behind it instead of merging into it (merged, they would ride on an id the server
   * has already answered, and be dropped).
   */
  async takeBatch(limit: number): Promise<OutboxEntry[]> {
    return this.ctx.storage.write(async (tx) => {
      const batch: OutboxEntry[] = [];
      const blocked = new Set<string>();
      for (const e of await tx.outbox()) {
        if (batch.length >= limit) break;
        if (e.status === 'rejected') continue;
        const id = `${e.model}\u0000${e.key}`;
        if (blocked.has(id)) continue;
        blocked.add(id);
        const inflight: OutboxEntry = { ...e, status: 'inflight' };
        if (e.status !== 'inflight') await tx.putOutbox(inflight);
        batch.push(inflight);
      }
      return batch;
    });
  }

  /**
   * The server refused a change with an error a later attempt may not get (it wrote nothing): the change
   * gets a new mutation id, since the server keeps answering the old one with the same refusal.
   */
  async renew(entry: OutboxEntry, error: { errorType: string; message: string }): Promise<void> {
    this.touch(entry.model, entry.key);
    await this.ctx.storage.write(async (tx) => {
      const current = (await tx.outboxFor(entry.model, entry.key)).find((x) => x.seq === entry.seq);
      if (current) await tx.putOutbox({ ...current, id: globalThis.crypto.randomUUID(), status: 'pending', error });
    });
  }

  /**
   * The server accepted a change: remove it from the outbox, carry the new version to the record's next
   * queued change, and rebase the local record on the server's (keeping fields still pending locally).
   */
  async acknowledge(entry: OutboxEntry, server: Rec): Promise<void> {
    this.touch(entry.model, entry.key);
    await this.write(async (tx, changes) => {
      await tx.deleteOutbox(entry.seq);
      const rest = (await tx.outboxFor(entry.model, entry.key)).filter((e) => e.status !== 'rejected');
      const stored = await this.newestServerState(tx, entry, this.storedFromRemote(entry.model, server), rest.length === 0);
      for (const next of rest) {
        if (typeof stored._version === 'number') await tx.putOutbox({ ...next, baseVersion: stored._version });
      }
      const local = await tx.get(entry.model, entry.key);
      if (stored._deleted) {
        this.rememberTombstone(entry.model, entry.key, versionOf(stored));
        if (local && rest.length === 0) {
          await tx.delete(entry.model, entry.key);
          changes.push({ model: entry.model, key: entry.key, type: 'delete', previous: local });
        }
        return;
      }
      if (!local) return;
      const keep = new Set(rest.flatMap((e) => (e.operation === 'update' ? e.changedFields : Object.keys(local))));
      const merged: StoredRecord = { ...stored };
      for (const f of keep) if (!MANAGED_FIELDS.has(f)) merged[f] = local[f];
      for (const f of Object.keys(merged)) if (merged[f] === undefined) delete merged[f];
      await tx.put(entry.model, entry.key, merged);
      changes.push({ model: entry.model, key: entry.key, type: 'update', record: merged, previous: local });
    });
    this.onOutboxChange(-1);
    this.events.next({ event: 'outboxMutationProcessed', data: { model: entry.model, element: server, operation: entry.operation } });
  }

  /**
   * The newer of a push's answer and a remote record skipped while the change was pending; forgets the
   * skipped one once no change of the record is left.
   */
  private async newestServerState(tx: StorageWriter, entry: OutboxEntry, answer: StoredRecord, settled: boolean): Promise<StoredRecord> {
    const name = skippedMetaName(entry.model, entry.key);
    const skipped = await tx.getMeta<StoredRecord | null>(name);
    if (!skipped) return answer;
    if (settled) await tx.setMeta(name, null);
    return versionOf(skipped) > versionOf(answer) ? skipped : answer;
  }

  /**
   * The server refused a change for a reason a retry will not fix: it goes to the dead-letter queue.
   * It gets a fresh mutation id, so `retryDeadLetter` (after the cause is fixed) is not answered with
   * the refusal the server stored for the old one.
   */
  async reject(entry: OutboxEntry, error: { errorType: string; message: string }): Promise<void> {
    this.touch(entry.model, entry.key);
    await this.ctx.storage.write((tx) => tx.putOutbox({ ...entry, id: globalThis.crypto.randomUUID(), status: 'rejected', error }).then(() => undefined));
    this.events.next({ event: 'outboxMutationFailed', data: { model: entry.model, element: entry.record, operation: entry.operation, error } });
  }

  /** Drops a change and takes the server's record instead (a DISCARD from the conflict handler). */
  async discard(entry: OutboxEntry, remote: Rec | undefined): Promise<void> {
    this.touch(entry.model, entry.key);
    await this.write(async (tx, changes) => {
      await tx.deleteOutbox(entry.seq);
      if (!remote) return;
      const rest = (await tx.outboxFor(entry.model, entry.key)).filter((e) => e.status !== 'rejected');
      if (rest.length > 0) return;
      const stored = await this.newestServerState(tx, entry, this.storedFromRemote(entry.model, remote), true);
      const local = await tx.get(entry.model, entry.key);
      if (stored._deleted) {
        this.rememberTombstone(entry.model, entry.key, versionOf(stored));
        if (local) {
          await tx.delete(entry.model, entry.key);
          changes.push({ model: entry.model, key: entry.key, type: 'delete', previous: local });
        }
      } else {
        await tx.put(entry.model, entry.key, stored);
        changes.push({ model: entry.model, key: entry.key, type: local ? 'update' : 'insert', record: stored, ...(local ? { previous: local } : {}) });
      }
    });
    this.onOutboxChange(-1);
    this.events.next({ event: 'outboxMutationProcessed', data: { model: entry.model, element: remote ?? entry.record, operation: entry.operation } });
  }

  /** Requeues a conflicting change on the server's version, with the record the conflict handler returned. */
  async retryConflict(entry: OutboxEntry, record: Rec, changedFields: string[], remoteVersion: number, error: { errorType: string; message: string }): Promise<void> {
    this.touch(entry.model, entry.key);
    await this.write(async (tx, changes) => {
      const local = await tx.get(entry.model, entry.key);
      // A new mutation id: the server answers a repeated id with its first answer, which was the conflict.
      const next: OutboxEntry = { ...entry, id: globalThis.crypto.randomUUID(), status: 'pending', attempts: entry.attempts + 1, baseVersion: remoteVersion, changedFields, error };
      if (entry.operation !== 'delete') {
        const stored = { ...this.storedFromRemote(entry.model, record), _version: remoteVersion };
        next.record = stored;
        if (local) {
          await tx.put(entry.model, entry.key, stored);
          changes.push({ model: entry.model, key: entry.key, type: 'update', record: stored, previous: local });
        }
      }
      await tx.putOutbox(next);
    });
  }

  /** The current local record of an entry (full, for conflict handlers). */
  localRecord(entry: OutboxEntry): Promise<StoredRecord | undefined> {
    return this.ctx.storage.read((tx) => tx.get(entry.model, entry.key));
  }

  materialize(model: string, stored: StoredRecord): Rec {
    return this.ctx.materialize(model, stored);
  }
}
