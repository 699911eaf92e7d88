/** Returned by a conflict handler to drop the local change and keep the server's record. */
export const DISCARD: unique symbol = Symbol.for('offgrid.discard') as never;

/** What a conflict handler is told. */
export interface ConflictInput<T = Record<string, unknown>> {
  modelName: string;
  /** The full local record (never a partial model with unsent fields as null). */
  local: T;
  /** Only the fields the local change touched, with their local values. */
  patch: Partial<T>;
  /** The server's record, as the conflict reported it. */
  remote: T;
  operation: 'create' | 'update' | 'delete';
  /** How many times this change has met a conflict (1 the first time; it really counts). */
  attempts: number;
}

/**
 * Decides a conflict: return {@link DISCARD} to keep the server's record, or a record (usually the remote
 * with your fields applied) to send again on the server's version. A delete stays a delete: returning a
 * record for a delete retries the delete.
 *
 * @example
 * conflictHandler: ({ remote, patch }) => ({ ...remote, ...patch })
 */
export type ConflictHandler = <T extends Record<string, unknown>>(input: ConflictInput<T>) => T | typeof DISCARD | Promise<T | typeof DISCARD>;

/** The default: retry the local change's fields on top of the server's version. */
export const retryLocalFields: ConflictHandler = ({ remote, patch }) => ({ ...remote, ...patch });
