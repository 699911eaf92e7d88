import type { DataStoreEvent } from '../events/datastore-event';
import type { ErrorType, SyncError } from './amplify-types';

/** Amplify's advice, word for word the kind of text an Amplify app may show or log. */
export const RECOVERY_SUGGESTION =
  'Ensure app code is up to date, auth directives exist and are correct on each model, and that server-side data has not been invalidated by a schema change.';

const MUTATION_NAMES = { create: 'Create', update: 'Update', delete: 'Delete' } as const;

/** Amplify's broad error types from the server's `errorType`. */
export function amplifyErrorType(errorType: string | undefined, message = ''): ErrorType {
  if (errorType === 'Unauthorized' || /not authori[sz]ed|unauthori[sz]ed/i.test(message)) return 'Unauthorized';
  if (errorType === 'ValidationError' || errorType === 'BadRequest') return 'BadRecord';
  if (errorType === 'Transient' || errorType === 'InternalFailure') return 'Transient';
  return 'Unknown';
}

/**
 * The {@link SyncError} Amplify's `errorHandler` gets for a store event, or undefined for events Amplify does
 * not report there. A refused mutation is `process: 'mutate'` with the local record and `Create`/`Update`/
 * `Delete`; a model whose sync the server refused is `process: 'sync'` with the model and its query (`syncPosts`).
 *
 * @example
 * const error = syncErrorOf(event, (model, fields) => record(model, fields))
 */
export function syncErrorOf(
  event: DataStoreEvent,
  record: (model: string, fields: Record<string, unknown>) => Record<string, unknown>,
  syncQueryOf: (model: string) => string = (model) => `sync${model}s`,
): SyncError | undefined {
  if (event.event === 'modelSyncRefused') {
    // Amplify: the sync query was refused (`Unauthorized`), reported once, and the model is skipped.
    const { model, message, error } = event.data;
    return {
      recoverySuggestion: RECOVERY_SUGGESTION,
      localModel: null as never,
      message,
      model,
      operation: syncQueryOf(model),
      errorType: 'Unauthorized',
      process: 'sync',
      remoteModel: null as never,
      cause: error,
    };
  }
  if (event.event !== 'outboxMutationFailed') return undefined;
  const { model, element, operation, error } = event.data;
  const cause = Object.assign(new Error(error.message), { errorType: error.errorType });
  return {
    recoverySuggestion: RECOVERY_SUGGESTION,
    localModel: record(model, element),
    message: error.message,
    model,
    operation: MUTATION_NAMES[operation],
    errorType: amplifyErrorType(error.errorType, error.message),
    errorInfo: error.errorType,
    process: 'mutate',
    remoteModel: null as never,
    cause,
  };
}
