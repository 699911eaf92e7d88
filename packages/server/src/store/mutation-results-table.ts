/**
 * The table of applied mutation results, shared by both stores.
 *
 * Results are keyed by `(identity_key, mutation_id)`: a mutation id is the caller's idempotency key, so it
 * is only ever looked up for the caller that sent it. Servers before this table kept results in
 * `offgrid_mutations`, keyed by the mutation id alone; that table is no longer read or written (its rows
 * cannot be attributed to a caller, so replaying them could hand one caller's result to another). It is
 * left in place so an older server process sharing the database keeps running during an upgrade; drop it
 * once none is left.
 */
export const MUTATION_RESULTS_TABLE = 'offgrid_mutation_results';

/**
 * `CREATE TABLE` and index statements for the results table. `table` is the quoted (and, on PostgreSQL,
 * schema-qualified) table name; `integer` is the column type of epoch-millisecond stamps.
 *
 * @example
 * for (const sql of mutationResultsDdl('"offgrid_mutation_results"', 'INTEGER')) db.exec(sql)
 */
export function mutationResultsDdl(table: string, integer: 'INTEGER' | 'BIGINT'): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
      identity_key TEXT NOT NULL,
      mutation_id TEXT NOT NULL,
      payload_hash TEXT NOT NULL,
      result TEXT NOT NULL,
      created_at ${integer} NOT NULL,
      PRIMARY KEY (identity_key, mutation_id)
    )`,
    `CREATE INDEX IF NOT EXISTS "${MUTATION_RESULTS_TABLE}_created_at" ON ${table} (created_at)`,
  ];
}
