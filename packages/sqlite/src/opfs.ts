/**
 * `@offgrid/sqlite/opfs`: SQLite compiled to WebAssembly (`@sqlite.org/sqlite-wasm`) on the browser's
 * Origin Private File System, for Chromium, Firefox and Safari. Browser-only; it never loads a Node module.
 *
 * @example
 * import { createDataStore, IndexedDBAdapter } from '@offgrid/core'
 * import { createOpfsSqliteAdapter, detectOpfsSupport } from '@offgrid/sqlite/opfs'
 * const storage = detectOpfsSupport().supported ? createOpfsSqliteAdapter({ file: 'todos.db' }) : new IndexedDBAdapter()
 * const store = createDataStore({ schema, storage })
 */
import { type OpfsDriverOptions, OpfsDriver } from './opfs/opfs-driver';
import { SqliteAdapter } from './sqlite-adapter';

export { OpfsDriver, type OpfsDriverOptions, type OpfsEvent } from './opfs/opfs-driver';
export { OpfsOwnerGoneError, OpfsUnavailableError } from './opfs/opfs-errors';
export { detectOpfsSupport, type OpfsSupport } from './opfs/opfs-support';
export { SqliteAdapter, type SqliteAdapterOptions } from './sqlite-adapter';
export type { MaybePromise, SqliteDriver, SqliteRunResult, SqliteStatement, SqliteValue } from './sqlite-driver';

/**
 * Options of {@link createOpfsSqliteAdapter}.
 *
 * @example
 * const options: OpfsSqliteAdapterOptions = { file: 'todos.db', onEvent: (e) => console.log(e.type) }
 */
export interface OpfsSqliteAdapterOptions extends OpfsDriverOptions {
  /** Prepared statements kept by the adapter, least recently used dropped first. Default 256. */
  statementCacheSize?: number;
}

/** The worker module beside this one; bundlers that know `new Worker(new URL(...))` bundle it as a worker. */
function defaultWorker(): Worker {
  return new Worker(new URL('./opfs-worker.js', import.meta.url), { type: 'module', name: 'offgrid-opfs' });
}

/**
 * Opens a SQLite driver on OPFS for this tab (see {@link OpfsDriver}): the first tab runs the database in a
 * dedicated worker, later tabs reach it through that tab.
 *
 * @example
 * const storage = new SqliteAdapter({ driver: () => openOpfsDriver({ file: 'todos.db' }), name: 'sqlite-opfs' })
 */
export function openOpfsDriver(options: OpfsDriverOptions): Promise<OpfsDriver> {
  return OpfsDriver.open(options, defaultWorker);
}

/**
 * The SQLite storage adapter on OPFS: the SQL, tables and transactions of `SqliteAdapter`, in a SAH-pool
 * database run by a dedicated worker (no cross-origin isolation headers needed). Tabs of one origin share
 * the database: the tab holding its Web Lock runs it, the others send their statements there, and the next
 * tab takes over when it closes. Where OPFS or workers are missing, opening fails with
 * {@link OpfsUnavailableError} and `onEvent` gets `{ type: 'unavailable' }`: fall back to IndexedDB.
 *
 * @example
 * import { createOpfsSqliteAdapter } from '@offgrid/sqlite/opfs'
 * const store = createDataStore({ schema, storage: createOpfsSqliteAdapter({ file: 'todos.db' }) })
 * await store.start()
 */
export function createOpfsSqliteAdapter(options: OpfsSqliteAdapterOptions): SqliteAdapter {
  const { statementCacheSize, ...driverOptions } = options;
  if (!/^[\w.-]+$/.test(driverOptions.file)) {
    throw new TypeError(`createOpfsSqliteAdapter: file must be a plain name such as 'todos.db' (letters, digits, '.', '-', '_'), got ${JSON.stringify(driverOptions.file)}`);
  }
  return new SqliteAdapter({ driver: () => openOpfsDriver(driverOptions), name: 'sqlite-opfs', statementCacheSize });
}
