import { GraphQLError } from 'graphql';

/** AppSync's `errorType` values that Amplify's client branches on, plus Offgrid's own. */
export type AppSyncErrorType =
  | 'ConflictUnhandled'
  | 'ConditionalCheckFailedException'
  | 'Unauthorized'
  | 'UnauthorizedException'
  | 'BadRequest'
  | 'ValidationError'
  | 'LimitExceeded'
  | 'InternalFailure';

/**
 * An error as AppSync reports it: `errorType` and (for conflicts) the server's record in `data`, both at
 * the top level of the error object, where Amplify's client reads them. Also mirrored in `extensions`.
 *
 * @example
 * throw new AppSyncError('ConflictUnhandled', 'Conflict resolver rejects mutation.', serverRecord)
 */
export class AppSyncError extends GraphQLError {
  readonly errorType: AppSyncErrorType;
  readonly data: unknown;
  constructor(errorType: AppSyncErrorType, message: string, data?: unknown) {
    super(message, { extensions: { errorType, ...(data !== undefined ? { data } : {}) } });
    this.errorType = errorType;
    this.data = data ?? null;
  }
}

/**
 * Formats any GraphQL error the way AppSync does (top-level `errorType`, `data`, `errorInfo`). Without
 * `exposeDetails` (production), internal failures say only "Internal server error" and validation
 * messages lose graphql-js's "Did you mean ...?" hints, which would name fields introspection hides.
 */
export function formatAppSyncError(error: GraphQLError, exposeDetails: boolean): Record<string, unknown> {
  const original = error.originalError;
  const appSync = original instanceof AppSyncError ? original : error instanceof AppSyncError ? error : undefined;
  const json = error.toJSON() as unknown as Record<string, unknown>;
  if (!exposeDetails && typeof json.message === 'string') json.message = json.message.replace(/ Did you mean .*\?$/s, '');
  if (appSync) {
    return { ...json, errorType: appSync.errorType, data: appSync.data, errorInfo: null };
  }
  if (original && !(original instanceof GraphQLError)) {
    // An unexpected failure: never leak internals in production.
    return {
      message: exposeDetails ? error.message : 'Internal server error',
      path: error.path,
      errorType: 'InternalFailure',
      data: null,
      errorInfo: null,
    };
  }
  return { ...json, errorType: 'BadRequest', data: null, errorInfo: null };
}
