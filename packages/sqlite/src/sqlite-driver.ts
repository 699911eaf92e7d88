/**
 * A value SQLite can bind or return. Booleans are bound as 0/1 by the adapter, never by the driver.
 *
 * @example
 * const params: SqliteValue[] = ['ada', 1, null]
 */
export type SqliteValue = string | number | bigint | Uint8Array | null;

/**
 * A value or a promise of it: synchronous drivers (better-sqlite3, node:sqlite) return plain values,
 * asynchronous ones (SQLite on OPFS in a worker) promises.
 *
 * @example
 * const close: () => MaybePromise<void> = () => db.close()
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What `run` reports; `lastInsertRowid` gives outbox entries their position.
 *
 * @example
 * const { lastInsertRowid } = await stmt.run('Todo', 'a1', '{}')
 */
export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/**
 * A prepared statement. Rows are plain objects keyed by result column name.
 *
 * @example
 * const stmt = await driver.prepare('SELECT value FROM "_meta" WHERE name = ?')
 * const row = await stmt.get('schema') // { value: '...' } or undefined
 */
export interface SqliteStatement {
  run(...params: SqliteValue[]): MaybePromise<SqliteRunResult>;
  get(...params: SqliteValue[]): MaybePromise<Record<string, SqliteValue> | undefined>;
  all(...params: SqliteValue[]): MaybePromise<Record<string, SqliteValue>[]>;
  /**
   * Optional: runs the statement once per parameter list, in order, as one call. Drivers whose every call
   * crosses a boundary (a worker, another tab) offer it so a bulk write is one round trip, not thousands.
   */
  runMany?(paramLists: ReadonlyArray<readonly SqliteValue[]>): MaybePromise<SqliteRunResult[]>;
}

/**
 * The few things the SQLite adapter needs from a SQLite binding, so better-sqlite3, node:sqlite, wa-sqlite
 * or expo-sqlite can plug in. Methods may be synchronous or return promises; the adapter awaits both.
 *
 * @example
 * import { DatabaseSync } from 'node:sqlite'
 * const db = new DatabaseSync('app.db')
 * const driver: SqliteDriver = {
 *   exec: (sql) => db.exec(sql),
 *   prepare: (sql) => {
 *     const s = db.prepare(sql)
 *     return { run: (...p) => s.run(...p), get: (...p) => s.get(...p), all: (...p) => s.all(...p) }
 *   },
 *   close: () => db.close(),
 * }
 * const storage = new SqliteAdapter({ driver })
 */
export interface SqliteDriver {
  /** Runs one or more statements without parameters (DDL, PRAGMA, BEGIN/COMMIT). */
  exec(sql: string): MaybePromise<void>;
  prepare(sql: string): MaybePromise<SqliteStatement>;
  close(): MaybePromise<void>;
  /**
   * Opens a second, read-only connection to the same database, for snapshot reads that do not wait for
   * writes. Return undefined (or omit the method) when the database cannot have one (`:memory:`, a
   * single-connection browser VFS, a journal mode other than WAL); reads then queue behind writes.
   */
  openReader?(): MaybePromise<SqliteDriver | undefined>;
}
