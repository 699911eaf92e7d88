import { RateLimiter } from './rate-limiter';

/**
 * One {@link RateLimiter} per client address. Buckets idle long enough to have refilled are dropped, so
 * a stream of one-off addresses cannot grow the map without bound.
 *
 * @example
 * const rates = new AddressRateLimits(200); if (!rates.take(req.socket.remoteAddress)) reply429()
 */
export class AddressRateLimits {
  private readonly buckets = new Map<string, { limiter: RateLimiter; lastUsed: number }>();
  private lastSweep: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastSweep = now();
  }

  /** Takes one request from `address`'s bucket; false when it is empty (answer 429). */
  take(address: string): boolean {
    const t = this.now();
    this.sweep(t);
    let entry = this.buckets.get(address);
    if (!entry) this.buckets.set(address, (entry = { limiter: new RateLimiter(this.perSecond, this.now), lastUsed: t }));
    entry.lastUsed = t;
    return entry.limiter.take();
  }

  /** How many addresses are tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(t: number): void {
    // A bucket untouched for a second is full again: forgetting it changes nothing.
    if (t - this.lastSweep < 1000) return;
    this.lastSweep = t;
    for (const [address, entry] of this.buckets) if (t - entry.lastUsed >= 1000) this.buckets.delete(address);
  }
}
