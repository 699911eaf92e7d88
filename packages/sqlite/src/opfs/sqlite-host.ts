import type { SqliteRunResult, SqliteValue } from '../sqlite-driver';
import type { OpfsRequest, OpfsResponse, OpfsResult } from './opfs-protocol';

/** The synchronous database the host serves (SQLite on the SAH-pool VFS in the worker; any SQLite in tests). */
export interface HostDatabase {
  exec(sql: string): void;
  run(sql: string, params: readonly SqliteValue[]): SqliteRunResult;
  get(sql: string, params: readonly SqliteValue[]): Record<string, SqliteValue> | undefined;
  all(sql: string, params: readonly SqliteValue[]): Record<string, SqliteValue>[];
  /** True while a transaction is open (SQLite is not in autocommit mode). */
  inTransaction(): boolean;
  close(): void;
}

/** Where an answer goes: the owning tab's worker port, or the tabs' channel. */
export type ReplyRoute = 'local' | 'remote';

/**
 * Serves one SQLite connection to several clients (this tab's adapter and the other tabs' ones) without
 * letting their transactions interleave: once a client's statement leaves a transaction open, only that
 * client's statements run until it commits or rolls back; the others queue in arrival order. A client that
 * dies mid-transaction (its tab closed) is rolled back, so it can never hold the database forever.
 * A statement meant for an earlier owner (another `epoch`) is refused rather than run outside the
 * transaction it belonged to, which died with that owner.
 *
 * @example
 * const host = new SqliteHost(db, epoch, (res, route) => (route === 'local' ? postMessage(res) : channel.postMessage(res)))
 * host.submit(request, 'remote')
 */
export class SqliteHost {
  private readonly queue: Array<{ req: OpfsRequest; route: ReplyRoute }> = [];
  private txClient: string | undefined;
  private readonly gone = new Set<string>();
  private readonly watched = new Set<string>();
  private closed = false;

  constructor(
    private readonly db: HostDatabase,
    readonly epoch: string,
    private readonly reply: (response: OpfsResponse, route: ReplyRoute) => void,
    /** Called once per remote client: call `clientGone` when it dies (the worker waits on its Web Lock). */
    private readonly watch: (client: string) => void = () => undefined,
  ) {}

  /** Queues a statement and runs whatever may run now. */
  submit(req: OpfsRequest, route: ReplyRoute): void {
    if (req.epoch !== this.epoch) {
      this.fail(req, route, 'the tab that served this database closed before this statement ran; its transaction was rolled back', true);
      return;
    }
    if (this.closed) {
      this.fail(req, route, 'the database was closed by the tab that served it', true);
      return;
    }
    if (this.gone.has(req.client)) return;
    if (route === 'remote' && !this.watched.has(req.client)) {
      this.watched.add(req.client);
      this.watch(req.client);
    }
    this.queue.push({ req, route });
    this.drain();
  }

  /** A client closed or its tab died: its queued statements are dropped and its open transaction rolled back. */
  clientGone(client: string): void {
    this.gone.add(client);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.req.client === client) this.queue.splice(i, 1);
    if (this.txClient === client) {
      this.txClient = undefined;
      try {
        if (this.db.inTransaction()) this.db.exec('ROLLBACK');
      } catch {
        // SQLite may already have rolled back (e.g. after an I/O error); nothing is left open either way.
      }
    }
    this.drain();
  }

  /** Refuses what is still queued and closes the database. */
  close(): void {
    this.closed = true;
    for (const { req, route } of this.queue.splice(0)) this.fail(req, route, 'the database was closed by the tab that served it', true);
    if (this.db.inTransaction()) {
      try {
        this.db.exec('ROLLBACK');
      } catch {
        // Closing rolls back anyway.
      }
    }
    this.db.close();
  }

  private drain(): void {
    for (;;) {
      const index = this.txClient === undefined ? (this.queue.length > 0 ? 0 : -1) : this.queue.findIndex((q) => q.req.client === this.txClient);
      if (index < 0) return;
      const [{ req, route }] = this.queue.splice(index, 1) as [{ req: OpfsRequest; route: ReplyRoute }];
      let response: OpfsResponse;
      try {
        const value = this.execute(req);
        response = { kind: 'res', client: req.client, id: req.id, inTx: this.db.inTransaction(), ok: true, value };
      } catch (error) {
        const e = error as { message?: string; resultCode?: number };
        const detail = { message: String(e?.message ?? error), code: e?.resultCode };
        response = { kind: 'res', client: req.client, id: req.id, inTx: this.db.inTransaction(), ok: false, error: detail };
      }
      this.txClient = response.inTx ? req.client : undefined;
      this.reply(response, route);
    }
  }

  private execute(req: OpfsRequest): OpfsResult {
    switch (req.op) {
      case 'exec':
        this.db.exec(req.sql);
        return undefined;
      case 'run':
        return this.db.run(req.sql, req.params);
      case 'get':
        return this.db.get(req.sql, req.params);
      case 'all':
        return this.db.all(req.sql, req.params);
      case 'runMany':
        return req.paramLists.map((params) => this.db.run(req.sql, params));
    }
  }

  /** `notRun`: the statement never ran, so its client may send it to the next owner. */
  private fail(req: OpfsRequest, route: ReplyRoute, message: string, notRun = false): void {
    this.reply({ kind: 'res', client: req.client, id: req.id, inTx: false, ok: false, error: { message, notRun } }, route);
  }
}
