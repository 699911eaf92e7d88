import type { NewOutboxEntry, OutboxEntry } from './outbox-entry';

/** What to do with the outbox when a new change to a record arrives. */
export type OutboxMergeResult =
  | { action: 'append'; entry: NewOutboxEntry }
  | { action: 'replace'; entry: OutboxEntry }
  | { action: 'remove'; seq: number };

/**
 * Folds a new change into the record's last outbox entry, as LESSONS.md requires:
 * create+update -> create, update+update -> update (changed fields united, base version kept),
 * create+delete -> nothing, update+delete -> delete. An entry already being sent (`inflight`), or one
 * with a condition, never merges: the new change queues behind it and its version chains from the
 * acknowledgement.
 *
 * @example
 * mergeOutboxEntry(pendingCreate, updateEntry) // { action: 'replace', entry: <create with the new record> }
 */
export function mergeOutboxEntry(last: OutboxEntry | undefined, next: NewOutboxEntry): OutboxMergeResult {
  if (last?.status !== 'pending' || last.condition || next.condition || last.operation === 'delete') {
    return { action: 'append', entry: next };
  }
  if (next.operation === 'update') {
    const changedFields =
      last.operation === 'create' ? [] : [...new Set([...last.changedFields, ...next.changedFields])];
    return { action: 'replace', entry: { ...last, record: next.record, changedFields } };
  }
  if (next.operation === 'delete') {
    if (last.operation === 'create') return { action: 'remove', seq: last.seq };
    return {
      action: 'replace',
      entry: { ...last, operation: 'delete', record: next.record, changedFields: [], id: next.id },
    };
  }
  return { action: 'append', entry: next };
}
