import type { Identity } from './identity';

/** setTimeout cannot wait longer than ~24.8 days; a token living that long gets no timer (checked at use instead). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** When the identity's token expires, in ms since the epoch; undefined for API keys and tokens without `exp`. */
export function tokenExpiresAt(identity: Identity | undefined): number | undefined {
  const exp = identity?.kind === 'jwt' ? identity.claims.exp : undefined;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/** Whether the identity's token has expired by `now` (API keys never do). */
export function tokenExpired(identity: Identity | undefined, now: number = Date.now()): boolean {
  const at = tokenExpiresAt(identity);
  return at !== undefined && now >= at;
}

/**
 * Calls `onExpired` when the identity's token expires (at once if it already has); returns a function that
 * cancels the timer. A token is verified once, when a connection or subscription starts: without this a
 * WebSocket would keep delivering records after the caller's sign-in ended.
 *
 * @example
 * const cancel = whenTokenExpires(identity, () => socket.close(4401, 'Unauthorized: the token has expired'))
 * socket.once('close', cancel)
 */
export function whenTokenExpires(identity: Identity | undefined, onExpired: () => void): () => void {
  const at = tokenExpiresAt(identity);
  if (at === undefined) return () => undefined;
  const ms = at - Date.now();
  if (ms > MAX_TIMER_MS) return () => undefined;
  const timer = setTimeout(onExpired, Math.max(0, ms));
  timer.unref();
  return () => clearTimeout(timer);
}
