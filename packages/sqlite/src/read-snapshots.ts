import type { SqliteConnection } from './sqlite-connection';

interface Snapshot {
  /** The writer's commit count when the snapshot was taken. */
  generation: number;
  users: number;
  /** Settles once BEGIN and the first read have pinned the snapshot. */
  ready: Promise<void>;
  /** Settles once the snapshot's transaction has ended. */
  ended: Promise<void>;
  end: () => void;
}

/**
 * Read transactions on the read-only connection. One connection can hold one transaction, so concurrent
 * reads share it, but only while nothing has been committed since it began: a read that starts after a
 * write resolved must see that write. A read that cannot join waits for the stale snapshot to end.
 *
 * @example
 * const snapshots = new ReadSnapshots(readerConnection, () => writer.commits)
 * const n = await snapshots.run(() => countTodos())
 */
export class ReadSnapshots {
  private current: Snapshot | undefined;

  constructor(
    private readonly conn: SqliteConnection,
    private readonly generation: () => number,
  ) {}

  private async acquire(): Promise<Snapshot> {
    for (;;) {
      const cur = this.current;
      if (!cur) return this.begin();
      if (cur.generation === this.generation()) {
        cur.users++;
        try {
          await cur.ready;
        } catch (error) {
          await this.release(cur);
          throw error;
        }
        return cur;
      }
      await cur.ended;
    }
  }

  private begin(): Promise<Snapshot> {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const snapshot: Snapshot = { generation: this.generation(), users: 1, ready: Promise.resolve(), ended, end };
    this.current = snapshot;
    // BEGIN alone takes no snapshot in SQLite; the first read does, so one is made at once.
    snapshot.ready = (async () => {
      await this.conn.exec('BEGIN');
      await this.conn.get('SELECT 1 AS pinned FROM sqlite_master LIMIT 1');
    })();
    return snapshot.ready.then(
      () => snapshot,
      async (error: unknown) => {
        await this.release(snapshot);
        throw error;
      },
    );
  }

  private async release(snapshot: Snapshot): Promise<void> {
    if (--snapshot.users > 0) return;
    this.current = undefined;
    try {
      await this.conn.exec('ROLLBACK');
    } catch {
      // The transaction may never have begun; there is nothing to end then.
    } finally {
      snapshot.end();
    }
  }

  /** Runs `fn` inside a consistent committed snapshot. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const snapshot = await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release(snapshot);
    }
  }

  /** Settles when no read transaction is open. */
  async idle(): Promise<void> {
    while (this.current) await this.current.ended;
  }
}
