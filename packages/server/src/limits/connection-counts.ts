/**
 * Open connections per client address, capped: `open` claims a place (false when the address already
 * has `max`), `close` gives it back. Addresses with none open are forgotten, so the map stays small.
 *
 * @example
 * const counts = new ConnectionCounts(50); if (!counts.open(address)) refuse(); socket.once('close', () => counts.close(address))
 */
export class ConnectionCounts {
  private readonly open_ = new Map<string, number>();

  constructor(private readonly max: number) {}

  open(address: string): boolean {
    const n = this.open_.get(address) ?? 0;
    if (n >= this.max) return false;
    this.open_.set(address, n + 1);
    return true;
  }

  close(address: string): void {
    const n = (this.open_.get(address) ?? 0) - 1;
    if (n > 0) this.open_.set(address, n);
    else this.open_.delete(address);
  }
}
