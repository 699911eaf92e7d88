import type { SqliteDriver, SqliteStatement, SqliteValue } from './sqlite-driver';

/**
 * The part of a `node:sqlite` `DatabaseSync` this driver uses, declared here so the package's types do not
 * depend on a Node version's `@types/node`.
 *
 * @example
 * import { DatabaseSync } from 'node:sqlite'
 * const db: NodeSqliteDatabase = new DatabaseSync('app.db')
 */
export interface NodeSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): {
    run(...params: SqliteValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
    get(...params: SqliteValue[]): unknown;
    all(...params: SqliteValue[]): unknown[];
  };
  close(): void;
}

/**
 * Options for {@link nodeSqliteDriver}.
 *
 * @example
 * const driver = await nodeSqliteDriver('app.db', { busyTimeoutMs: 10_000 })
 */
export interface NodeSqliteDriverOptions {
  /** How long a statement waits for another process's lock before failing, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * Open a second read-only connection so reads see a committed snapshot without waiting for writes.
   * Default true; ignored for `:memory:` and when the database is not in WAL mode.
   */
  readConnection?: boolean;
}

type NodeSqliteConstructor = new (filename: string) => NodeSqliteDatabase;

function wrapStatement(stmt: ReturnType<NodeSqliteDatabase['prepare']>): SqliteStatement {
  return {
    run: (...params) => {
      const { changes, lastInsertRowid } = stmt.run(...params);
      return { changes: Number(changes), lastInsertRowid };
    },
    get: (...params) => stmt.get(...params) as Record<string, SqliteValue> | undefined,
    all: (...params) => stmt.all(...params) as Record<string, SqliteValue>[],
  };
}

function pragma(db: NodeSqliteDatabase, sql: string): Record<string, SqliteValue>[] {
  return db.prepare(`PRAGMA ${sql}`).all() as Record<string, SqliteValue>[];
}

function wrap(db: NodeSqliteDatabase, options: NodeSqliteDriverOptions, reader: boolean): SqliteDriver {
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  if (reader) {
    // node:sqlite's read-only open flag is newer than the module itself; query_only works on every version.
    db.exec('PRAGMA query_only = ON');
  } else {
    // The same settings as the better-sqlite3 driver, for the same reasons (see there).
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = OFF');
  }
  const driver: SqliteDriver = {
    exec: (sql) => db.exec(sql),
    prepare: (sql) => wrapStatement(db.prepare(sql)),
    close: () => db.close(),
  };
  if (!reader && options.readConnection !== false) {
    driver.openReader = () => {
      if (pragma(db, 'journal_mode')[0]?.journal_mode !== 'wal') return undefined;
      const main = pragma(db, 'database_list').find((d) => d.name === 'main');
      if (typeof main?.file !== 'string' || main.file === '') return undefined;
      const Database = db.constructor as NodeSqliteConstructor;
      return wrap(new Database(main.file), options, true);
    };
  }
  return driver;
}

/**
 * `node:sqlite`'s `DatabaseSync` where this Node has it (22.5+ and, without a flag, 22.13+), else undefined.
 *
 * @example
 * const DatabaseSync = await loadNodeSqlite() // undefined on Node 20
 */
export async function loadNodeSqlite(): Promise<NodeSqliteConstructor | undefined> {
  try {
    // Not `import('node:sqlite')`: bundlers drop the `node:` prefix, and `sqlite` without it is no module.
    const mod = process.getBuiltinModule?.('node:sqlite') as { DatabaseSync?: NodeSqliteConstructor } | undefined;
    return typeof mod?.DatabaseSync === 'function' ? mod.DatabaseSync : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A {@link SqliteDriver} over Node's built-in `node:sqlite` (Node 22.5+; nothing to install or compile).
 * Sets WAL mode, `synchronous=NORMAL` and foreign keys off, and for a file database offers a second
 * read-only connection for snapshot reads, as {@link betterSqlite3Driver} does.
 *
 * Given a file name it resolves to the driver (rejecting on a Node without `node:sqlite`); given an open
 * `DatabaseSync` it returns the driver at once.
 *
 * @example
 * const storage = new SqliteAdapter({ driver: nodeSqliteDriver('app.db') })
 * // or with a database you opened yourself:
 * import { DatabaseSync } from 'node:sqlite'
 * const storage2 = new SqliteAdapter({ driver: nodeSqliteDriver(new DatabaseSync('app.db')) })
 */
export function nodeSqliteDriver(database: NodeSqliteDatabase, options?: NodeSqliteDriverOptions): SqliteDriver;
export function nodeSqliteDriver(filename: string, options?: NodeSqliteDriverOptions): Promise<SqliteDriver>;
export function nodeSqliteDriver(
  database: string | NodeSqliteDatabase,
  options: NodeSqliteDriverOptions = {},
): SqliteDriver | Promise<SqliteDriver> {
  if (typeof database !== 'string') return wrap(database, options, false);
  return loadNodeSqlite().then((Database) => {
    if (!Database) {
      throw new Error(
        `nodeSqliteDriver(filename) needs Node's built-in node:sqlite (Node 22.13 or later); this is Node ${process.versions.node}. ` +
          'Use betterSqlite3Driver (npm install better-sqlite3) or createSqliteAdapter, which picks what is available.',
      );
    }
    return wrap(new Database(database), options, false);
  });
}
