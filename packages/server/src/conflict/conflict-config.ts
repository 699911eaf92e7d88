import type { Identity } from '../auth/identity';

/** What a CUSTOM resolver is given. `stored` includes `_version`, `_deleted`, `_lastChangedAt`. */
export interface ConflictContext {
  model: string;
  operation: 'update' | 'delete';
  /** The fields the client changed, with their new values. Empty for a delete. */
  incoming: Record<string, unknown>;
  /** The version the client changed from. */
  baseVersion: number;
  stored: Record<string, unknown>;
  identity: Identity;
}

/** A CUSTOM resolver's answer: write this record, refuse the change, or delete the record. */
export type ConflictDecision =
  | { action: 'resolve'; record: Record<string, unknown> }
  | { action: 'reject'; message?: string }
  | { action: 'remove' };

/**
 * A model's conflict strategy.
 * - `AUTOMERGE` (default): field-level three-way merge; a field both sides changed follows `scalarRule`
 *   (`SERVER_WINS` as AppSync does, or `LAST_WRITER_WINS`); lists merge as a union.
 * - `OPTIMISTIC_CONCURRENCY`: a stale `_version` is rejected with `ConflictUnhandled` and the server's record.
 * - `CUSTOM`: `resolve` decides.
 *
 * @example
 * conflicts: { Todo: { strategy: 'AUTOMERGE', scalarRule: 'LAST_WRITER_WINS' }, Invoice: { strategy: 'OPTIMISTIC_CONCURRENCY' } }
 */
export type ConflictConfig =
  | { strategy: 'AUTOMERGE'; scalarRule?: 'SERVER_WINS' | 'LAST_WRITER_WINS' }
  | { strategy: 'OPTIMISTIC_CONCURRENCY' }
  | { strategy: 'CUSTOM'; resolve: (context: ConflictContext) => ConflictDecision | Promise<ConflictDecision> };
