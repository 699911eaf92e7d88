import { describe, expect, it } from 'vitest';
import { OffgridError, SyncAuthError, SyncNetworkError, SyncRequestError } from '../errors';
import { toSyncError } from './sync-error';

describe('toSyncError', () => {
  it('turns a WebSocket ErrorEvent into a SyncNetworkError that says what happened', () => {
    const event = { type: 'error', message: 'read ECONNRESET', error: new Error('read ECONNRESET') };
    const error = toSyncError(event, 'subscription socket');
    expect(error).toBeInstanceOf(SyncNetworkError);
    expect(error.message).toBe('subscription socket: the connection failed (read ECONNRESET)');
    expect(error.cause).toBe(event);
  });

  it('turns a CloseEvent into a network error, or an auth error for 4401/4403', () => {
    expect(toSyncError({ type: 'close', code: 1006, reason: '' })).toBeInstanceOf(SyncNetworkError);
    expect(toSyncError({ type: 'close', code: 1006, reason: '' }).message).toContain('code 1006: no reason given');
    const auth = toSyncError({ code: 4401, reason: 'Unauthorized' });
    expect(auth).toBeInstanceOf(SyncAuthError);
    expect(auth.code).toBe('SYNC_UNAUTHORIZED');
  });

  it('turns GraphQL errors and plain errors into SyncRequestError; keeps Offgrid errors as they are', () => {
    expect(toSyncError([{ message: 'Not Authorized to access Note' }]).message).toContain('Not Authorized to access Note');
    expect(toSyncError(new TypeError('x is undefined'))).toBeInstanceOf(SyncRequestError);
    const own = new SyncNetworkError('down');
    expect(toSyncError(own)).toBe(own);
    expect(toSyncError('weird')).toBeInstanceOf(OffgridError);
  });
});
