import { StoreStateError } from '../errors';
import type { StorageAdapter, StorageWriter } from '../storage/storage-adapter';
import type { OutboxEntry } from './outbox-entry';

/** A record's sync state, as bindings show it. */
export interface RecordSyncStatus {
  status: 'synced' | 'pending' | 'conflicted' | 'rejected';
  /** Why the change was refused or met a conflict. */
  reason?: string;
}

async function findDeadLetter(tx: StorageWriter, seq: number): Promise<OutboxEntry> {
  const found = (await tx.outbox()).find((e) => e.seq === seq && e.status === 'rejected');
  if (!found) throw new StoreStateError(`No dead-lettered change with seq ${seq}; list them with deadLetters().`);
  return found;
}

/** Puts a dead-lettered change back in line to be sent. */
export async function requeueDeadLetter(storage: StorageAdapter, seq: number): Promise<void> {
  await storage.write(async (tx) => {
    const { error: _error, ...rest } = await findDeadLetter(tx, seq);
    await tx.putOutbox({ ...rest, status: 'pending' });
  });
}

/**
 * Drops a dead-lettered change for good, and forgets the model's sync cursor so the next sync brings the
 * server's copy back over the local one.
 */
export async function dropDeadLetter(storage: StorageAdapter, seq: number): Promise<void> {
  await storage.write(async (tx) => {
    const found = await findDeadLetter(tx, seq);
    await tx.deleteOutbox(seq);
    await tx.setMeta(`sync:cursor:${found.model}`, null);
  });
}

/** A record's sync state from its outbox entries: rejected wins, then conflicted, then pending. */
export async function recordSyncStatus(storage: StorageAdapter, model: string, key: string): Promise<RecordSyncStatus> {
  const entries = await storage.read((tx) => tx.outboxFor(model, key));
  const rejected = entries.find((e) => e.status === 'rejected');
  if (rejected) return { status: 'rejected', reason: rejected.error?.message ?? 'refused by the server' };
  const conflicted = entries.find((e) => e.error?.errorType === 'ConflictUnhandled');
  if (conflicted) return { status: 'conflicted', reason: conflicted.error!.message };
  return { status: entries.length > 0 ? 'pending' : 'synced' };
}
