import { createRequire } from 'node:module';

/**
 * Which SQLite binding the embedded store uses: `'auto'` (the default) takes Node's built-in `node:sqlite`
 * where it exists (Node 22.13+: nothing to install or compile), else better-sqlite3.
 *
 * @example
 * new SqliteRecordStore({ filename: 'offgrid.db', driver: 'better-sqlite3' })
 */
export type SqliteBinding = 'auto' | 'node:sqlite' | 'better-sqlite3';

/** A prepared statement, as both bindings offer it. */
export interface SqliteDatabaseStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * The synchronous SQLite connection the embedded store needs; better-sqlite3's `Database` and
 * `node:sqlite`'s `DatabaseSync` both fit behind it.
 *
 * @example
 * const db = openSqliteDatabase('offgrid.db')
 * db.exec('BEGIN IMMEDIATE'); db.prepare('INSERT ...').run(1); db.exec('COMMIT')
 */
export interface SqliteDatabase {
  readonly binding: Exclude<SqliteBinding, 'auto'>;
  exec(sql: string): void;
  prepare(sql: string): SqliteDatabaseStatement;
  /** True inside an open transaction (SQLite may roll one back by itself on some errors). */
  readonly inTransaction: boolean;
  close(): void;
}

interface NodeSqliteModule {
  DatabaseSync: new (filename: string) => {
    exec(sql: string): void;
    prepare(sql: string): SqliteDatabaseStatement;
    close(): void;
    readonly isTransaction?: boolean;
  };
}

type BetterSqlite3Constructor = new (filename: string) => {
  exec(sql: string): unknown;
  prepare(sql: string): SqliteDatabaseStatement;
  close(): unknown;
  readonly inTransaction: boolean;
};

/** `node:sqlite` where this Node has it without a flag, else undefined. */
function loadNodeSqlite(): NodeSqliteModule | undefined {
  try {
    const mod = process.getBuiltinModule?.('node:sqlite') as NodeSqliteModule | undefined;
    return typeof mod?.DatabaseSync === 'function' ? mod : undefined;
  } catch {
    return undefined;
  }
}

function loadBetterSqlite3(): BetterSqlite3Constructor {
  try {
    // Loaded only when used, so Node 22+ installs run without the native module.
    return createRequire(import.meta.url)('better-sqlite3') as BetterSqlite3Constructor;
  } catch (cause) {
    throw new Error(
      `The embedded SQLite store needs SQLite: Node ${process.versions.node} has no node:sqlite (Node 22.13 or later has it), ` +
        'and better-sqlite3 could not be loaded. Run `npm install better-sqlite3` (`npm rebuild better-sqlite3` after ' +
        'changing Node versions), use Node 22.13+, or run on PostgreSQL (--database postgres://...).',
      { cause },
    );
  }
}

function fromNodeSqlite(mod: NodeSqliteModule, filename: string): SqliteDatabase {
  const db = new mod.DatabaseSync(filename);
  // Older node:sqlite releases lack `isTransaction`: track BEGIN/COMMIT/ROLLBACK there instead.
  let open = false;
  return {
    binding: 'node:sqlite',
    exec: (sql) => {
      db.exec(sql);
      const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
      if (verb === 'BEGIN') open = true;
      else if (verb === 'COMMIT' || verb === 'END' || verb === 'ROLLBACK') open = false;
    },
    prepare: (sql) => db.prepare(sql),
    get inTransaction() {
      return db.isTransaction ?? open;
    },
    close: () => db.close(),
  };
}

function fromBetterSqlite3(Database: BetterSqlite3Constructor, filename: string): SqliteDatabase {
  const db = new Database(filename);
  return {
    binding: 'better-sqlite3',
    exec: (sql) => {
      db.exec(sql);
    },
    prepare: (sql) => db.prepare(sql),
    get inTransaction() {
      return db.inTransaction;
    },
    close: () => {
      db.close();
    },
  };
}

/**
 * Opens a SQLite file (or `:memory:`) with the binding this Node has: `node:sqlite` on Node 22.13+, else
 * better-sqlite3 (an optional dependency, which npm installs on Node 20). A clear error says what to
 * install when neither loads.
 *
 * @example
 * const db = openSqliteDatabase('offgrid.db') // node:sqlite on Node 24, better-sqlite3 on Node 20
 */
export function openSqliteDatabase(filename: string, binding: SqliteBinding = 'auto'): SqliteDatabase {
  if (binding !== 'better-sqlite3') {
    const mod = loadNodeSqlite();
    if (mod) return fromNodeSqlite(mod, filename);
    if (binding === 'node:sqlite') {
      throw new Error(`node:sqlite needs Node 22.13 or later; this is Node ${process.versions.node}. Use driver 'better-sqlite3'.`);
    }
  }
  return fromBetterSqlite3(loadBetterSqlite3(), filename);
}
