/**
 * Test helpers for PostgreSQL: every store gets its own schema (`offgrid_test_<random>`), dropped by
 * `dropTestSchemas()`, so parallel test runs on one database never see each other.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresRecordStore, type PostgresRecordStoreOptions } from './postgres-record-store';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const created = new Set<string>();

/** A fresh schema name, remembered for `dropTestSchemas`. */
export function testSchemaName(): string {
  const schema = `offgrid_test_${randomBytes(6).toString('hex')}`;
  created.add(schema);
  return schema;
}

/** A store on a fresh schema (or on `schema`, to open a second store on the same data). */
export function createTestPostgresStore(options: Partial<PostgresRecordStoreOptions> = {}): PostgresRecordStore {
  return new PostgresRecordStore({ connectionString: TEST_DATABASE_URL, schema: options.schema ?? testSchemaName(), ...options });
}

/** Drops every schema this process created. */
export async function dropTestSchemas(): Promise<void> {
  if (created.size === 0) return;
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  try {
    for (const schema of created) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    created.clear();
  } finally {
    await pool.end();
  }
}
