/**
 * A bounded least-recently-used map from SQL text to prepared statement. Preparing costs more than running
 * a small statement, and query SQL varies with predicate shape, so the cache is bounded rather than
 * growing with every distinct query an app ever ran.
 *
 * @example
 * const cache = new StatementCache<Statement>(256)
 * const stmt = cache.get(sql) ?? cache.set(sql, db.prepare(sql))
 */
export class StatementCache<S> {
  private readonly entries = new Map<string, S>();

  constructor(readonly capacity = 256) {
    if (!(capacity >= 1)) throw new RangeError(`Statement cache capacity must be at least 1, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(sql: string): S | undefined {
    const stmt = this.entries.get(sql);
    if (stmt !== undefined) {
      // Map iteration order is insertion order: re-inserting marks it most recently used.
      this.entries.delete(sql);
      this.entries.set(sql, stmt);
    }
    return stmt;
  }

  set(sql: string, stmt: S): S {
    this.entries.delete(sql);
    this.entries.set(sql, stmt);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return stmt;
  }

  /** Forgets every statement (after DDL, so no statement outlives the table layout it was built for). */
  clear(): void {
    this.entries.clear();
  }
}
