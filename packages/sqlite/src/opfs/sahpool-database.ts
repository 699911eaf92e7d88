import type { Database, PreparedStatement, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { SqliteRunResult, SqliteValue } from '../sqlite-driver';
import type { HostDatabase } from './sqlite-host';

/** Prepared statements kept by the worker; each distinct SQL text is compiled once. */
const STATEMENT_CACHE = 512;

function toNumber(value: number | bigint): number | bigint {
  return typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
}

/**
 * A {@link HostDatabase} over an oo1 database of `@sqlite.org/sqlite-wasm` (in the worker, on the SAH-pool
 * VFS), with a bounded cache of prepared statements.
 *
 * @example
 * const db = new SahPoolDatabase(sqlite3, new pool.OpfsSAHPoolDb('/todos.db'))
 */
export class SahPoolDatabase implements HostDatabase {
  private readonly statements = new Map<string, PreparedStatement>();

  constructor(
    private readonly sqlite3: Sqlite3Static,
    private readonly db: Database,
  ) {}

  private statement(sql: string, params: readonly SqliteValue[]): PreparedStatement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      this.statements.delete(sql);
    } else {
      stmt = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE) {
        const [oldestSql, oldest] = this.statements.entries().next().value as [string, PreparedStatement];
        this.statements.delete(oldestSql);
        oldest.finalize();
      }
    }
    this.statements.set(sql, stmt);
    stmt.reset(true);
    if (params.length > 0) stmt.bind(params as SqliteValue[] as never);
    return stmt;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  run(sql: string, params: readonly SqliteValue[]): SqliteRunResult {
    const stmt = this.statement(sql, params);
    try {
      stmt.step();
    } finally {
      stmt.reset(true);
    }
    return {
      changes: Number(this.db.changes()),
      lastInsertRowid: toNumber(this.sqlite3.capi.sqlite3_last_insert_rowid(this.db)),
    };
  }

  get(sql: string, params: readonly SqliteValue[]): Record<string, SqliteValue> | undefined {
    const stmt = this.statement(sql, params);
    try {
      return stmt.step() ? (stmt.get({}) as Record<string, SqliteValue>) : undefined;
    } finally {
      stmt.reset(true);
    }
  }

  all(sql: string, params: readonly SqliteValue[]): Record<string, SqliteValue>[] {
    const stmt = this.statement(sql, params);
    const rows: Record<string, SqliteValue>[] = [];
    try {
      while (stmt.step()) rows.push(stmt.get({}) as Record<string, SqliteValue>);
    } finally {
      stmt.reset(true);
    }
    return rows;
  }

  inTransaction(): boolean {
    return this.sqlite3.capi.sqlite3_get_autocommit(this.db) === 0;
  }

  close(): void {
    for (const stmt of this.statements.values()) stmt.finalize();
    this.statements.clear();
    this.db.close();
  }
}
