import type { MaybePromise, SqliteDriver, SqliteRunResult, SqliteStatement, SqliteValue } from './sqlite-driver';
import { StatementCache } from './statement-cache';

/**
 * One driver connection plus its statement cache: every statement the adapter runs goes through here, so
 * each distinct SQL text is prepared once per connection.
 *
 * @example
 * const conn = new SqliteConnection(driver)
 * const row = await conn.get('SELECT value FROM "_meta" WHERE name = ?', ['schema'])
 */
export class SqliteConnection {
  private readonly statements: StatementCache<MaybePromise<SqliteStatement>>;

  constructor(
    readonly driver: SqliteDriver,
    cacheSize = 256,
  ) {
    this.statements = new StatementCache(cacheSize);
  }

  private statement(sql: string): MaybePromise<SqliteStatement> {
    return this.statements.get(sql) ?? this.statements.set(sql, this.driver.prepare(sql));
  }

  async run(sql: string, params: readonly SqliteValue[] = []): Promise<SqliteRunResult> {
    return (await this.statement(sql)).run(...params);
  }

  /**
   * Runs one statement once per parameter list, in order, preparing it once; a synchronous driver runs
   * them all without yielding.
   */
  async runMany(sql: string, paramLists: ReadonlyArray<readonly SqliteValue[]>): Promise<SqliteRunResult[]> {
    const stmt = await this.statement(sql);
    // A driver across a message channel (OPFS) runs the whole batch in one round trip.
    if (stmt.runMany) return stmt.runMany(paramLists);
    const results: SqliteRunResult[] = [];
    for (const params of paramLists) {
      const result = stmt.run(...params);
      results.push(result instanceof Promise ? await result : result);
    }
    return results;
  }

  async get(sql: string, params: readonly SqliteValue[] = []): Promise<Record<string, SqliteValue> | undefined> {
    return (await this.statement(sql)).get(...params);
  }

  async all(sql: string, params: readonly SqliteValue[] = []): Promise<Record<string, SqliteValue>[]> {
    return (await this.statement(sql)).all(...params);
  }

  async exec(sql: string): Promise<void> {
    await this.driver.exec(sql);
  }

  /** Drops cached statements, e.g. after tables were dropped or altered. */
  forgetStatements(): void {
    this.statements.clear();
  }

  async close(): Promise<void> {
    this.statements.clear();
    await this.driver.close();
  }
}
