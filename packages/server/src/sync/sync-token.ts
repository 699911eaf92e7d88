import { AppSyncError } from '../errors/appsync-error';

/** Where a paged sync or list continues: after `from`, up to `until`, with the sync's `startedAt`. */
export interface SyncToken {
  model: string;
  from: number;
  until: number;
  startedAt: number;
  full: boolean;
}

/** Encodes a continuation as an opaque `nextToken`. */
export function encodeSyncToken(token: SyncToken): string {
  return Buffer.from(JSON.stringify([token.model, token.from, token.until, token.startedAt, token.full ? 1 : 0])).toString('base64url');
}

/** Reads a `nextToken`; a token that was not made here, or for another model, is a clear error. */
export function decodeSyncToken(model: string, raw: string): SyncToken {
  try {
    const [m, from, until, startedAt, full] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (m === model && [from, until, startedAt].every((n) => Number.isSafeInteger(n))) {
      return { model, from: from as number, until: until as number, startedAt: startedAt as number, full: full === 1 };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppSyncError('BadRequest', `Invalid nextToken for ${model}: pass back the nextToken of the previous page unchanged.`);
}
