import type { SqliteDriver, SqliteStatement, SqliteValue } from './sqlite-driver';
import { SqliteDriverMissingError } from './sqlite-driver-missing-error';

/**
 * The part of a better-sqlite3 `Database` this driver uses, declared here so the package's types do not
 * depend on `@types/better-sqlite3`.
 *
 * @example
 * import Database from 'better-sqlite3'
 * const db: BetterSqlite3Database = new Database('app.db')
 */
export interface BetterSqlite3Database {
  readonly name: string;
  readonly memory: boolean;
  readonly readonly: boolean;
  exec(sql: string): unknown;
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  };
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
}

/**
 * Options for {@link betterSqlite3Driver}.
 *
 * @example
 * const driver = await betterSqlite3Driver('app.db', { busyTimeoutMs: 10_000, readConnection: false })
 */
export interface BetterSqlite3DriverOptions {
  /** How long a statement waits for another process's lock before failing, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * Open a second read-only connection so reads see a committed snapshot without waiting for writes.
   * Default true; ignored for `:memory:` and when the database is not in WAL mode.
   */
  readConnection?: boolean;
}

type BetterSqlite3Constructor = new (
  filename: string,
  options?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number },
) => BetterSqlite3Database;

function wrapStatement(stmt: ReturnType<BetterSqlite3Database['prepare']>): SqliteStatement {
  return {
    run: (...params) => stmt.run(...params),
    get: (...params) => stmt.get(...params) as Record<string, SqliteValue> | undefined,
    all: (...params) => stmt.all(...params) as Record<string, SqliteValue>[],
  };
}

function wrap(db: BetterSqlite3Database, options: BetterSqlite3DriverOptions, reader: boolean): SqliteDriver {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  if (!reader && !db.readonly) {
    // WAL lets the read connection keep a snapshot while the writer commits; NORMAL skips the fsync per
    // commit (a power cut may lose the last commits, never corrupt the file), which is what makes single
    // awaited saves sub-millisecond. Foreign keys stay off: relations are the store's business, not SQL's.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
  }
  const driver: SqliteDriver = {
    exec: (sql) => {
      db.exec(sql);
    },
    prepare: (sql) => wrapStatement(db.prepare(sql)),
    close: () => {
      db.close();
    },
  };
  if (!reader && options.readConnection !== false) {
    driver.openReader = () => {
      // A read-only second connection only gives snapshot isolation in WAL mode; in rollback-journal
      // mode its shared lock would block the writer's COMMIT instead.
      if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
      // The absolute path SQLite opened, so a relative name still works after the process changed directory.
      const main = (db.pragma('database_list') as Array<{ name: string; file: string }>).find((d) => d.name === 'main');
      if (!main?.file) return undefined;
      const Database = db.constructor as BetterSqlite3Constructor;
      return wrap(new Database(main.file, { readonly: true, fileMustExist: true }), options, true);
    };
  }
  return driver;
}

async function loadBetterSqlite3(): Promise<BetterSqlite3Constructor> {
  try {
    const mod = (await import('better-sqlite3')) as unknown as { default?: BetterSqlite3Constructor };
    return (mod.default ?? mod) as BetterSqlite3Constructor;
  } catch (cause) {
    // Missing, or built for another Node version (NODE_MODULE_VERSION mismatch): both need a (re)install.
    throw new SqliteDriverMissingError(
      `betterSqlite3Driver(filename) could not load better-sqlite3 on Node ${process.versions.node}: run ` +
        '`npm install better-sqlite3` (`npm rebuild better-sqlite3` after changing Node versions), use Node 22.13+ ' +
        "with nodeSqliteDriver, or pass your own SqliteDriver to new SqliteAdapter({ driver }).",
      { cause },
    );
  }
}

/**
 * A {@link SqliteDriver} over better-sqlite3 (Node, Electron). Sets WAL mode, `synchronous=NORMAL` and
 * foreign keys off, and for a file database offers a second read-only connection for snapshot reads.
 *
 * Given a file name it loads better-sqlite3 on demand (so this package does not require it unless used)
 * and resolves to the driver; given an open `Database` it returns the driver at once.
 *
 * @example
 * const storage = new SqliteAdapter({ driver: betterSqlite3Driver('app.db') })
 * // or with a Database you opened yourself:
 * import Database from 'better-sqlite3'
 * const storage2 = new SqliteAdapter({ driver: betterSqlite3Driver(new Database('app.db')) })
 */
export function betterSqlite3Driver(database: BetterSqlite3Database, options?: BetterSqlite3DriverOptions): SqliteDriver;
export function betterSqlite3Driver(filename: string, options?: BetterSqlite3DriverOptions): Promise<SqliteDriver>;
export function betterSqlite3Driver(
  database: string | BetterSqlite3Database,
  options?: BetterSqlite3DriverOptions,
): SqliteDriver | Promise<SqliteDriver>;
export function betterSqlite3Driver(
  database: string | BetterSqlite3Database,
  options: BetterSqlite3DriverOptions = {},
): SqliteDriver | Promise<SqliteDriver> {
  if (typeof database !== 'string') return wrap(database, options, false);
  return loadBetterSqlite3().then((Database) =>
    wrap(new Database(database, { timeout: options.busyTimeoutMs ?? 5000 }), options, false),
  );
}
