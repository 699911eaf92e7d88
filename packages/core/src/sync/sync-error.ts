import { OffgridError, SyncAuthError, SyncNetworkError, SyncRequestError } from '../errors';

/** Close codes with which a graphql-ws or AppSync server says the credentials are not (or no longer) good. */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

/**
 * Turns whatever a sync step failed with into an {@link OffgridError} whose message says what happened.
 * WebSockets fail with events, not errors: an `ErrorEvent` ("socket hang up", "read ECONNRESET"), a
 * `CloseEvent` (a code and a reason) or, from graphql-ws, an array of GraphQL errors. Nothing raw reaches
 * `syncError` listeners.
 *
 * @example
 * catch (error) { emit({ event: 'syncError', data: { error: toSyncError(error, 'subscription socket') } }) }
 */
export function toSyncError(error: unknown, context = 'sync'): OffgridError {
  if (error instanceof OffgridError) return error;
  if (Array.isArray(error)) {
    const messages = error.map((e) => (e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e)));
    return new SyncRequestError(`${context}: the server refused: ${messages.join('; ') || 'no reason given'}`, { cause: error });
  }
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; reason?: unknown; message?: unknown; error?: unknown; type?: unknown; name?: unknown };
    if (typeof e.code === 'number' && ('reason' in e || e.type === 'close')) {
      const reason = typeof e.reason === 'string' && e.reason ? e.reason : 'no reason given';
      const message = `${context}: the connection closed (code ${e.code}: ${reason})`;
      return AUTH_CLOSE_CODES.has(e.code) ? new SyncAuthError(message, { cause: error }) : new SyncNetworkError(message, { cause: error });
    }
    if (error instanceof Error && error.name === 'AbortError') return new SyncNetworkError(`${context}: aborted (the network went away or sync stopped)`, { cause: error });
    const inner = e.error instanceof Error ? e.error.message : undefined;
    const message = typeof e.message === 'string' && e.message ? e.message : inner;
    if (e.type === 'error' || !(error instanceof Error)) {
      return new SyncNetworkError(`${context}: the connection failed${message ? ` (${message})` : ''}`, { cause: error });
    }
    return new SyncRequestError(`${context}: ${message ?? error.name}`, { cause: error });
  }
  return new SyncRequestError(`${context}: ${String(error)}`, { cause: error });
}

/** The server's refusal of access among GraphQL errors (AppSync's `Unauthorized`), or undefined. */
export function refusalOf(errors: ReadonlyArray<{ message?: unknown; errorType?: unknown }>): string | undefined {
  const refused = errors.find((e) => e.errorType === 'Unauthorized' || (typeof e.message === 'string' && /^Not Authorized/i.test(e.message)));
  return refused ? String(refused.message ?? 'Unauthorized') : undefined;
}
