/**
 * Jittered exponential backoff ("full jitter"): attempt n waits a random time in [0, min(cap, base * 2^n)].
 * Jitter spreads reconnecting clients so a restarted server is not hit by all of them at once.
 *
 * @example
 * await sleep(backoffDelay(attempt))
 */
export function backoffDelay(attempt: number, options: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const base = options.baseMs ?? 250;
  const cap = options.capMs ?? 30_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 20));
  return Math.round((options.random ?? Math.random)() * ceiling);
}
