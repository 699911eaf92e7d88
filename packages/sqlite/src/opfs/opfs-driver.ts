import type { SqliteDriver, SqliteRunResult, SqliteStatement, SqliteValue } from '../sqlite-driver';
import { OpfsOwnerGoneError, OpfsUnavailableError } from './opfs-errors';
import { type OpfsChannelMessage, type OpfsRequest, type OpfsResponse, type OpfsResult, opfsNames } from './opfs-protocol';
import { missingOpfsApi } from './opfs-support';
import { TabWorker } from './tab-worker';

/**
 * What the OPFS adapter reports as it opens and as tabs come and go.
 * - `unavailable`: OPFS or workers are missing (or the database could not be opened): fall back to IndexedDB.
 * - `owner`: this tab now runs the database in its worker and serves the other tabs.
 * - `follower`: another tab runs it; this tab's statements go through that tab.
 *
 * @example
 * const onEvent = (e: OpfsEvent) => { if (e.type === 'unavailable') console.warn(e.reason) }
 */
export type OpfsEvent = { type: 'unavailable'; reason: string; error: Error } | { type: 'owner' } | { type: 'follower' };

/**
 * Options of {@link openOpfsDriver} and `createOpfsSqliteAdapter`.
 *
 * @example
 * const options: OpfsDriverOptions = { file: 'todos.db', onEvent: (e) => console.log(e.type) }
 */
export interface OpfsDriverOptions {
  /** The database file's name inside OPFS (a plain name such as `todos.db`). */
  file: string;
  /**
   * Starts the worker. Default: `@offgrid/sqlite/opfs-worker` as a module worker, found by the bundler
   * through `new Worker(new URL(...), { type: 'module' })`; pass your own where the bundler does not.
   */
  worker?: () => Worker;
  /** Ownership and availability events. */
  onEvent?: (event: OpfsEvent) => void;
}

type Outgoing = { req: DistributiveOmit<OpfsRequest, 'epoch'>; resolve: (value: OpfsResult) => void; reject: (error: Error) => void };
/** A statement on its way; `inTx` when it belongs to an open transaction (which dies with its owner). */
type Pending = { out: Outgoing; epoch: string; inTx: boolean };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface LockManager {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<unknown>): Promise<unknown>;
}

function locks(): LockManager {
  return (navigator as unknown as { locks: LockManager }).locks;
}

function remoteError(error: { message: string; code?: number }): Error {
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}

/**
 * A {@link SqliteDriver} for one tab: the tab that holds the database's Web Lock runs SQLite in its own
 * dedicated worker and serves every other tab of the origin over a BroadcastChannel; the others send their
 * statements there. Each tab waits in line for the lock, so when the serving tab closes the next one takes
 * over; a statement caught in between fails with {@link OpfsOwnerGoneError} (its transaction died with the
 * old worker) instead of waiting forever, and a statement is never run by a worker it was not meant for.
 */
export class OpfsDriver implements SqliteDriver {
  private readonly client = crypto.randomUUID();
  private readonly names: ReturnType<typeof opfsNames>;
  private readonly channel: BroadcastChannel;
  private readonly abort = new AbortController();
  /** This tab's worker while this tab serves the file. */
  private worker: TabWorker | undefined;
  private route: 'local' | 'remote' | undefined;
  private epoch: string | undefined;
  private nextId = 1;
  /** The owner (epoch) this client's open transaction lives in; it dies with that owner. */
  private txEpoch: string | undefined;
  private readonly pending = new Map<number, Pending>();
  private waiting: Outgoing[] = [];
  private broken: Error | undefined;
  private closed = false;
  private releaseClient: (() => void) | undefined;
  private releaseOwner: (() => void) | undefined;
  private firstRoute!: { resolve: () => void; reject: (error: Error) => void };
  private readonly routed = new Promise<void>((resolve, reject) => (this.firstRoute = { resolve, reject }));

  private constructor(
    private readonly options: OpfsDriverOptions,
    private readonly startWorker: () => Worker,
  ) {
    this.names = opfsNames(options.file);
    this.channel = new BroadcastChannel(this.names.channel);
    this.channel.onmessage = (event: MessageEvent<OpfsChannelMessage>) => this.onChannel(event.data);
    this.routed.catch(() => undefined);
  }

  /** Opens (or joins) the database; rejects with {@link OpfsUnavailableError} where OPFS cannot be used. */
  static async open(options: OpfsDriverOptions, defaultWorker: () => Worker): Promise<OpfsDriver> {
    const missing = missingOpfsApi();
    if (missing) {
      const error = new OpfsUnavailableError(missing);
      options.onEvent?.({ type: 'unavailable', reason: missing, error });
      throw error;
    }
    const driver = new OpfsDriver(options, options.worker ?? defaultWorker);
    try {
      await driver.start();
    } catch (error) {
      await driver.close();
      throw error;
    }
    return driver;
  }

  private async start(): Promise<void> {
    // Held while this client lives: the serving worker waits on it to learn that this tab died mid-transaction.
    await new Promise<void>((granted) => {
      void locks().request(`${this.names.clientLockPrefix}${this.client}`, {}, () => {
        granted();
        return new Promise<void>((release) => (this.releaseClient = release));
      });
    });
    void locks()
      .request(this.names.ownerLock, { signal: this.abort.signal }, () => this.serve())
      .catch(() => undefined);
    this.channel.postMessage({ kind: 'ping' } satisfies OpfsChannelMessage);
    await this.routed;
  }

  /** Runs while this tab holds the owner lock: opens the file in this tab's worker and serves until close. */
  private async serve(): Promise<void> {
    if (this.closed) return;
    const worker = TabWorker.for(this.startWorker);
    this.worker = worker;
    worker.register(this.client, (response) => this.settle(response));
    const opened = await worker.open(this.options.file, this.names);
    if (opened.kind !== 'ready') {
      worker.unregister(this.client);
      this.worker = undefined;
      const error = opened.unavailable ? new OpfsUnavailableError(opened.message) : new OpfsOwnerGoneError(`opening ${this.options.file} failed: ${opened.message}`);
      if (error instanceof OpfsUnavailableError) this.options.onEvent?.({ type: 'unavailable', reason: opened.message, error });
      this.breakWith(error);
      return;
    }
    if (this.closed) {
      await worker.close(this.options.file);
      return;
    }
    this.setRoute('local', opened.epoch);
    this.options.onEvent?.({ type: 'owner' });
    await new Promise<void>((release) => (this.releaseOwner = release));
  }

  private onChannel(message: OpfsChannelMessage): void {
    switch (message.kind) {
      case 'owner-up':
        // Our own worker's notice (it also reaches this tab's channel) is not another owner.
        if (!this.worker && !this.closed) {
          const changed = this.route !== 'remote';
          this.setRoute('remote', message.epoch);
          if (changed) this.options.onEvent?.({ type: 'follower' });
        }
        return;
      case 'owner-down':
        if (this.route === 'remote' && this.epoch === message.epoch) {
          this.route = undefined;
          this.failPending((p) => p.epoch === message.epoch, 'the tab that served the database closed');
        }
        return;
      case 'res':
        if (message.client === this.client) this.settle(message);
        return;
      default:
        return;
    }
  }

  private setRoute(route: 'local' | 'remote', epoch: string): void {
    if (epoch !== this.epoch) this.failPending((p) => p.epoch !== epoch, 'the tab that served the database closed before answering');
    this.route = route;
    this.epoch = epoch;
    const waiting = this.waiting;
    this.waiting = [];
    for (const out of waiting) this.post(out);
    this.firstRoute.resolve();
  }

  /**
   * The owner of these statements is gone. One outside a transaction goes to the next owner: a read, a BEGIN
   * (whose transaction died with the old owner) or idempotent DDL is safe to run again. One inside a
   * transaction fails: running it elsewhere would break the transaction's all-or-nothing.
   */
  private failPending(which: (p: Pending) => boolean, detail: string): void {
    for (const [id, p] of this.pending) {
      if (!which(p)) continue;
      this.pending.delete(id);
      if (p.inTx) p.out.reject(new OpfsOwnerGoneError(detail));
      else this.waiting.push(p.out);
    }
  }

  private breakWith(error: Error): void {
    this.broken = error;
    this.firstRoute.reject(error);
    for (const out of this.waiting.splice(0)) out.reject(error);
    for (const p of this.pending.values()) p.out.reject(error);
    this.pending.clear();
  }

  private settle(response: OpfsResponse): void {
    const p = this.pending.get(response.id);
    if (!p) return;
    this.pending.delete(response.id);
    if (!response.ok && response.error.notRun && !p.inTx) {
      // It never ran (its owner closed first): it goes to the next owner, at once if that one is known.
      if (this.route && this.epoch !== p.epoch) this.post(p.out);
      else this.waiting.push(p.out);
      return;
    }
    this.txEpoch = response.inTx ? p.epoch : undefined;
    if (response.ok) p.out.resolve(response.value);
    else p.out.reject(remoteError(response.error));
  }

  private post(out: Outgoing): void {
    const epoch = this.epoch!;
    if (this.txEpoch !== undefined && this.txEpoch !== epoch) {
      // The transaction was rolled back with the owner that held it: only ending it makes sense now; any other
      // statement would run outside it, on a new owner, and break its all-or-nothing.
      if ((out.req.op === 'exec' || out.req.op === 'run') && /^\s*ROLLBACK\b/i.test(out.req.sql)) {
        this.txEpoch = undefined;
        out.resolve(out.req.op === 'run' ? { changes: 0, lastInsertRowid: 0 } : undefined);
      } else {
        out.reject(new OpfsOwnerGoneError('the tab that served the database closed during this transaction'));
      }
      return;
    }
    const req = { ...out.req, epoch } as OpfsRequest;
    this.pending.set(req.id, { out, epoch, inTx: this.txEpoch !== undefined });
    if (this.route === 'local') this.worker!.send(this.options.file, req);
    else this.channel.postMessage(req satisfies OpfsChannelMessage);
  }

  private send(req: DistributiveOmit<OpfsRequest, 'epoch' | 'client' | 'id' | 'kind'>): Promise<OpfsResult> {
    if (this.closed) return Promise.reject(new OpfsOwnerGoneError('this OPFS driver was closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<OpfsResult>((resolve, reject) => {
      const out: Outgoing = { req: { ...req, kind: 'req', client: this.client, id: this.nextId++ } as Outgoing['req'], resolve, reject };
      if (this.route) this.post(out);
      else this.waiting.push(out);
    });
  }

  /** Whether this tab runs the database (true) or reaches it through another tab (false). */
  get isOwner(): boolean {
    return this.route === 'local';
  }

  async exec(sql: string): Promise<void> {
    await this.send({ op: 'exec', sql });
  }

  prepare(sql: string): SqliteStatement & { runMany(paramLists: ReadonlyArray<readonly SqliteValue[]>): Promise<SqliteRunResult[]> } {
    // Statements are prepared (and cached) by the worker, keyed by their text; nothing to keep here.
    return {
      run: (...params) => this.send({ op: 'run', sql, params }) as Promise<SqliteRunResult>,
      get: (...params) => this.send({ op: 'get', sql, params }) as Promise<Record<string, SqliteValue> | undefined>,
      all: (...params) => this.send({ op: 'all', sql, params }) as Promise<Record<string, SqliteValue>[]>,
      runMany: (paramLists) => this.send({ op: 'runMany', sql, paramLists: paramLists as SqliteValue[][] }) as Promise<SqliteRunResult[]>,
    };
  }

  /** Leaves: a serving tab closes the database and hands it to the next tab in line. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    const worker = this.worker;
    if (worker && this.route === 'local') {
      await worker.close(this.options.file);
      worker.unregister(this.client);
    } else if (this.route === 'remote') {
      this.channel.postMessage({ kind: 'bye', client: this.client } satisfies OpfsChannelMessage);
    }
    this.worker = undefined;
    this.route = undefined;
    this.breakWith(new OpfsOwnerGoneError('this OPFS driver was closed'));
    this.channel.close();
    this.releaseOwner?.();
    this.releaseClient?.();
  }
}

