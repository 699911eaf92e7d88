import type { PredicateNode } from '../predicates/predicate-node';

/** The kind of change an outbox entry carries to the server. */
export type MutationOperation = 'create' | 'update' | 'delete';

/**
 * A pending mutation: written in the same storage transaction as the local change it describes, and
 * removed only when the server has acknowledged it (or it was dead-lettered).
 */
export interface OutboxEntry {
  /** Position in the outbox; assigned by the storage adapter, increasing. */
  seq: number;
  /** Client-generated mutation id; the server applies each id at most once, so retries are safe. */
  id: string;
  model: string;
  /** The record's key as `modelKeyOf` gives it. */
  key: string;
  operation: MutationOperation;
  /** The full local record after the change (for a delete: the record as it was deleted). */
  record: Record<string, unknown>;
  /** Fields this change touched; only these are sent for an update. Empty for create and delete. */
  changedFields: string[];
  /** The `_version` the change was made from; absent for a record never acknowledged by the server. */
  baseVersion?: number;
  /** A condition the server must check before applying (from `save(record, condition)`). */
  condition?: PredicateNode;
  /**
   * `pending` entries may still merge with later changes; `inflight` ones were sent at least once and their
   * answer is not processed yet: they are resent with the same mutation id (so the server applies them once)
   * and never merge;
   * `rejected` ones were refused by the server for a reason other than a conflict (the dead-letter queue):
   * they wait for `retryDeadLetter` or `discardDeadLetter` and do not block other changes.
   */
  status: 'pending' | 'inflight' | 'rejected';
  /** Why the server refused it (for `rejected` entries, and the last conflict). */
  error?: { errorType: string; message: string };
  /** Conflicts this change has met (what a conflict handler sees as `attempts`). */
  attempts: number;
  /** Epoch ms when it was first enqueued. */
  createdAt: number;
}

/** An entry before the adapter has given it a position. */
export type NewOutboxEntry = Omit<OutboxEntry, 'seq'> & { seq?: number };
