/**
 * The error catalogue. Every error Offgrid throws is an {@link OffgridError} with a stable `code`;
 * messages name the model, the field and what to change.
 *
 * @example
 * try { await store.save(todo) } catch (e) {
 *   if (e instanceof OffgridError && e.code === 'VALIDATION_FAILED') showFieldError(e.field, e.message)
 * }
 */
export class OffgridError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A record does not fit its model: wrong type, missing required field, unknown field, bad enum or scalar. */
export class ValidationError extends OffgridError {
  readonly model: string;
  readonly field: string | undefined;
  constructor(model: string, field: string | undefined, reason: string) {
    super('VALIDATION_FAILED', field ? `${model}.${field}${/^[.[]/.test(reason) ? '' : ': '}${reason}` : `${model}: ${reason}`);
    this.model = model;
    this.field = field;
  }
}

/** A model name or model object that the store's schema does not know. */
export class UnknownModelError extends OffgridError {
  readonly model: string;
  constructor(model: string, known: string[]) {
    super(
      'UNKNOWN_MODEL',
      `Unknown model "${model}". The schema has: ${known.join(', ') || '(none)'}. Pass a model from initSchema() of the same schema.`,
    );
    this.model = model;
  }
}

/** A predicate names a field or operator the model does not have. */
export class PredicateError extends OffgridError {
  readonly model: string;
  constructor(model: string, message: string) {
    super('INVALID_PREDICATE', `${model}: ${message}`);
    this.model = model;
  }
}

/** `save(record, condition)` found the stored record not matching the condition. Nothing was written. */
export class ConditionFailedError extends OffgridError {
  readonly model: string;
  readonly key: string;
  constructor(model: string, key: string) {
    super('CONDITION_FAILED', `${model} ${key}: the save condition did not match the stored record; nothing was written.`);
    this.model = model;
    this.key = key;
  }
}

/**
 * The stored schema differs from the new one in a way that cannot keep the local data (a field removed,
 * a type changed, a key changed) and there are unsent changes. They are attached so nothing is lost.
 */
export class SchemaMigrationError extends OffgridError {
  readonly reasons: string[];
  readonly pendingMutations: unknown[];
  constructor(reasons: string[], pendingMutations: unknown[]) {
    super(
      'SCHEMA_BREAKING_CHANGE',
      `The local store was written with an incompatible schema (${reasons.join('; ')}) and holds ${pendingMutations.length} unsent change(s). ` +
        'Pass onBreakingSchemaChange to export or replay them (they are on this error as pendingMutations); the store was not opened and nothing was deleted.',
    );
    this.reasons = reasons;
    this.pendingMutations = pendingMutations;
  }
}

/** An operation on a store that was closed or cleared while it ran, or used before configure. */
export class StoreStateError extends OffgridError {
  constructor(message: string) {
    super('STORE_STATE', message);
  }
}

/** A storage adapter failed; the transaction was rolled back. */
export class StorageError extends OffgridError {
  constructor(adapter: string, message: string, options?: { cause?: unknown }) {
    super('STORAGE_FAILED', `${adapter} storage: ${message}`, options);
  }
}

/**
 * The sync server could not be reached or the connection broke (a reset, a refused or half-open socket,
 * a 5xx or 429 answer). Sync goes offline and retries with backoff; nothing local is lost. Reported in
 * `syncError` events and the sync status, never by a lifecycle call.
 *
 * @example
 * store.events$.subscribe((e) => { if (e.event === 'syncError' && e.data.error.code === 'SYNC_NETWORK') showOffline() })
 */
export class SyncNetworkError extends OffgridError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SYNC_NETWORK', message, options);
  }
}

/** The sync server refused the credentials (HTTP 401, or the socket closed with 4401/4403). Sync retries; pass a fresh token or key. */
export class SyncAuthError extends OffgridError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SYNC_UNAUTHORIZED', message, options);
  }
}

/** The sync server answered a sync or push request with an error that is not about the network or one model's access. */
export class SyncRequestError extends OffgridError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SYNC_FAILED', message, options);
  }
}

/**
 * The server refused to sync one model to this caller: its `@auth` rules do not let the current credentials
 * read it (an API key on an owner-only model, a user outside a group-only model). The other models keep
 * syncing; this one is retried when the credentials change or on `resync()`.
 *
 * @example
 * store.events$.subscribe((e) => { if (e.event === 'modelSyncRefused') console.warn(e.data.error.message) })
 */
export class ModelSyncRefusedError extends OffgridError {
  readonly model: string;
  constructor(model: string, reason: string) {
    super(
      'SYNC_MODEL_REFUSED',
      `${model} is not synced: the server refused these credentials (${reason}). Sign in as a user its @auth rules allow, ` +
        'or give sync an auth provider that can read it; it is retried when the credentials change or on resync().',
    );
    this.model = model;
  }
}
