import type { ServerRecord } from '../store/record-store';

/**
 * Carries committed records to subscription delivery. The in-process bus serves one server; the
 * PostgreSQL bus also forwards them (LISTEN/NOTIFY) so subscribers on other server processes get them.
 */
export interface ChangeBus {
  /** Announces records this process committed. */
  publish(records: ServerRecord[]): void;
  /** Receives records committed by this or (for a shared bus) any other process, once each. */
  subscribe(listener: (records: ServerRecord[]) => void): () => void;
  close(): Promise<void>;
}

/**
 * The bus of a single server process.
 *
 * @example
 * const bus = new LocalChangeBus(); bus.subscribe((records) => deliver(records))
 */
export class LocalChangeBus implements ChangeBus {
  private readonly listeners = new Set<(records: ServerRecord[]) => void>();

  publish(records: ServerRecord[]): void {
    if (records.length === 0) return;
    for (const listener of [...this.listeners]) listener(records);
  }

  subscribe(listener: (records: ServerRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
