/**
 * The dedicated worker behind `@offgrid/sqlite/opfs`: SQLite (`@sqlite.org/sqlite-wasm`) on the SAH-pool
 * OPFS VFS, one per tab, serving each database file this tab owns to the tab (postMessage) and to the
 * origin's other tabs (BroadcastChannel). Bundlers that understand `new Worker(new URL(..., import.meta.url))`
 * (Vite, webpack 5, Parcel) pick it up by themselves; otherwise build `@offgrid/sqlite/opfs-worker` as its
 * own file and pass `worker` to `createOpfsSqliteAdapter`.
 */
import sqlite3InitModule, { type SAHPoolUtil, type Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { OpfsChannelMessage, OpfsWorkerCommand, OpfsWorkerEvent } from './opfs/opfs-protocol';
import { SahPoolDatabase } from './opfs/sahpool-database';
import { SqliteHost } from './opfs/sqlite-host';

declare const self: {
  postMessage(message: OpfsWorkerEvent): void;
  addEventListener(type: 'message', listener: (event: { data: OpfsWorkerCommand }) => void): void;
};

/** How long the previous owner's file handles may take to be released (its tab is closing). */
const OPEN_RETRY_MS = 15_000;

interface Served {
  host: SqliteHost;
  channel: BroadcastChannel;
}

let sqlite3: Promise<Sqlite3Static> | undefined;
/** One SAH pool (own VFS name, own OPFS directory) per database file, kept paused while the file is closed. */
const pools = new Map<string, SAHPoolUtil>();
const served = new Map<string, Served>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isUnavailable(error: unknown): boolean {
  return /Missing required OPFS APIs/.test(String((error as Error)?.message ?? error));
}

/**
 * Installs (or resumes) the file's pool, retrying while another tab's worker (the owner that is closing)
 * still holds its access handles. A failed install keeps the pool's files (`preserveOnInitFailure`): the
 * default would delete them.
 */
async function acquirePool(sq: Sqlite3Static, file: string): Promise<SAHPoolUtil> {
  const deadline = Date.now() + OPEN_RETRY_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const known = pools.get(file);
      if (known) return known.isPaused() ? await known.unpauseVfs() : known;
      const pool = await sq.installOpfsSAHPoolVfs({
        name: `offgrid-sahpool-${pools.size + 1}`,
        directory: `.offgrid-opfs/${file}`,
        // The database and its rollback journal, plus room for a temp file.
        initialCapacity: 4,
        preserveOnInitFailure: true,
        forceReinitIfPreviouslyFailed: true,
      } as Parameters<Sqlite3Static['installOpfsSAHPoolVfs']>[0]);
      pools.set(file, pool);
      return pool;
    } catch (error) {
      if (isUnavailable(error) || Date.now() > deadline) throw error;
      await sleep(Math.min(25 * 2 ** attempt, 500));
    }
  }
}

async function open(command: Extract<OpfsWorkerCommand, { kind: 'open' }>): Promise<void> {
  const { file } = command;
  try {
    sqlite3 ??= sqlite3InitModule();
    const sq = await sqlite3;
    const pool = await acquirePool(sq, file);
    const db = new SahPoolDatabase(sq, new pool.OpfsSAHPoolDb(`/${file}`));
    // One connection serves every tab, so nothing else ever shares the file: it keeps the lock for good, which
    // also lets WAL work without shared memory (which this VFS has not). In WAL a commit appends to the log and
    // syncs only at checkpoints (synchronous = NORMAL): a crash can lose the last commits, never corrupt the file.
    db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    const epoch = crypto.randomUUID();
    const channel = new BroadcastChannel(command.channel);
    const host = new SqliteHost(
      db,
      epoch,
      (response, route) => (route === 'local' ? self.postMessage(response) : channel.postMessage(response)),
      (client) => {
        // Granted only once the client's tab released its lock: it closed or died.
        void navigator.locks.request(`${command.clientLockPrefix}${client}`, async () => host.clientGone(client));
      },
    );
    channel.onmessage = (event: MessageEvent<OpfsChannelMessage>) => {
      const message = event.data;
      if (message.kind === 'req') host.submit(message, 'remote');
      else if (message.kind === 'ping') channel.postMessage({ kind: 'owner-up', epoch });
      else if (message.kind === 'bye') host.clientGone(message.client);
    };
    served.set(file, { host, channel });
    self.postMessage({ kind: 'ready', file, epoch });
    channel.postMessage({ kind: 'owner-up', epoch });
  } catch (error) {
    self.postMessage({ kind: 'failed', file, message: String((error as Error)?.message ?? error), unavailable: isUnavailable(error) });
  }
}

function close(file: string): void {
  const s = served.get(file);
  served.delete(file);
  try {
    s?.host.close();
  } finally {
    // Releases the access handles now, so the next tab to own the file need not wait for this one to end.
    const pool = pools.get(file);
    if (pool && !pool.isPaused()) pool.pauseVfs();
    if (s) {
      s.channel.postMessage({ kind: 'owner-down', epoch: s.host.epoch });
      s.channel.close();
    }
    self.postMessage({ kind: 'closed', file });
  }
}

self.addEventListener('message', (event) => {
  const command = event.data;
  switch (command.kind) {
    case 'open':
      void open(command);
      return;
    case 'local': {
      const s = served.get(command.file);
      if (s) s.host.submit(command.req, 'local');
      else self.postMessage({ kind: 'res', client: command.req.client, id: command.req.id, inTx: false, ok: false, error: { message: `${command.file} is not open` } });
      return;
    }
    case 'bye':
      served.get(command.file)?.host.clientGone(command.client);
      return;
    case 'close':
      close(command.file);
      return;
  }
});
