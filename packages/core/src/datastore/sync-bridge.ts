import { MANAGED_FIELDS, modelKeyOf } from '@offgrid/schema';
import type { Subject } from 'rxjs';
import type { DataStoreEvent } from '../events/datastore-event';
import { materializeChanges, type ChangeFeed, type RecordChange } from '../observe/change-feed';
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

  constructor(
    private readonly ctx: StoreContext,
    private readonly feed: ChangeFeed,
    private readonly events: Subject<DataStoreEvent>,
    private readonly onOutboxChange: (delta: number) => void,
  ) {}

  private storedFromRemote(model: string, remote: Rec): StoredRecord {
    const def = this.ctx.model(model);
    const out: StoredRecord = {};
    for (const [k, v] of Object.entries(remote)) {
      if (v === undefined || k === '__typename') continue;
      if (MANAGED_FIELDS.has(k) || (def.fields[k] && !def.fields[k]!.relation)) out[k] = v;
    }
    if (out._deleted === null) out._deleted = false;
    return out;
  }

  private async write<T>(fn: (tx: StorageWriter, changes: RecordChange[]) => Promise<T>): Promise<T> {
    const changes: RecordChange[] = [];
    const result = await this.ctx.storage.write((tx) => fn(tx, changes));
    this.feed.emit({
      source: 'remote',
      changes: materializeChanges(changes, this.ctx.materialize),
    });
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
   * Applies a page of remote records in one transaction, and stores `meta` (the sync cursor) in the same
   * transaction, so a cursor never runs ahead of the records it covers.
   */
  async applyRemote(model: string, items: Rec[], meta?: { name: string; value: unknown }, seen?: Set<string>): Promise<ApplyCounts> {
    const counts: ApplyCounts = { new: 0, updated: 0, deleted: 0, skipped: 0 };
    await this.write(async (tx, changes) => {
      // For a page, one read of the outbox beats a lookup per record (the outbox is small next to a page).
      const pendingKeys =
        items.length > 1 ? new Set((await tx.outbox()).filter((e) => e.model === model && e.status !== 'rejected').map((e) => e.key)) : undefined;
      for (const item of items) {
        const key = await this.applyOne(tx, model, item, changes, counts, pendingKeys);
        seen?.add(key);
      }
      if (meta) await tx.setMeta(meta.name, meta.value);
    });
    return counts;
  }

  /**
   * A record that left the sync expression: its local copy is removed (no outbox entry; the server keeps
   * it), unless a local change to it is pending. No tombstone is kept, so a wider expression brings it back.
   */
  async evict(model: string, remote: Rec): Promise<void> {
    const key = modelKeyOf(this.ctx.model(model), this.storedFromRemote(model, remote));
    await this.write(async (tx, changes) => {
      if ((await tx.outboxFor(model, key)).some((e) => e.status !== 'rejected')) return;
      const local = await tx.get(model, key);
      if (!local) return;
      await tx.delete(model, key);
      changes.push({ model, key, type: 'delete', previous: local });
    });
  }

  /** After a full sync: removes local records the server no longer has (no ghosts), keeping pending ones. */
  async reconcile(model: string, seen: Set<string>): Promise<number> {
    const def = this.ctx.model(model);
    return this.write(async (tx, changes) => {
      let removed = 0;
      const pendingKeys = new Set((await tx.outbox()).filter((e) => e.model === model).map((e) => e.key));
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
    await this.ctx.storage.write((tx) => tx.putOutbox({ ...entry, id: globalThis.crypto.randomUUID(), status: 'rejected', error }).then(() => undefined));
    this.events.next({ event: 'outboxMutationFailed', data: { model: entry.model, element: entry.record, operation: entry.operation, error } });
  }

  /** Drops a change and takes the server's record instead (a DISCARD from the conflict handler). */
  async discard(entry: OutboxEntry, remote: Rec | undefined): Promise<void> {
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
