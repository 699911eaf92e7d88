import { StorageError } from '@offgrid/core';
import type { SqliteConnection } from './sqlite-connection';
import { quoteIdentifier } from './sql-identifier';
import { META_TABLE, OUTBOX_TABLE, PK_COLUMN, type ColumnSqlType, type TableLayout } from './table-layout';

/**
 * DDL for the adapter's own tables. AUTOINCREMENT keeps outbox positions increasing even after the newest
 * entry was deleted, as the contract promises.
 */
export const BASE_TABLES_SQL = `
CREATE TABLE IF NOT EXISTS "${OUTBOX_TABLE}" (seq INTEGER PRIMARY KEY AUTOINCREMENT, model TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS "${OUTBOX_TABLE}(model,key,seq)" ON "${OUTBOX_TABLE}" (model, key, seq);
CREATE TABLE IF NOT EXISTS "${META_TABLE}" (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
`;

function createTableSql(layout: TableLayout): string {
  const columns = layout.columns.map((c) => `${c.sql} ${c.sqlType}`);
  // A rowid table, not WITHOUT ROWID: records are ~0.5 KB, and a clustered key b-tree of rows that size
  // (random keys, a few rows per page) splits and moves whole rows on every insert; a rowid table appends
  // them and keeps only the small key in the key index (SQLite advises WITHOUT ROWID for rows under ~1/20
  // of a page). Tables made by earlier versions keep their form; the same SQL runs on both.
  return `CREATE TABLE IF NOT EXISTS ${layout.table} (${PK_COLUMN} TEXT PRIMARY KEY NOT NULL, "_nulls" TEXT, "_extra" TEXT, ${columns.join(', ')})`;
}

function createIndexSql(layout: TableLayout, index: TableLayout['indexes'][number]): string {
  return `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(index.name)} ON ${layout.table} (${index.columns.join(', ')})`;
}

/** TEXT and numeric affinities convert each other's values ('5' -> 5), so a switch between them is breaking. */
function affinityClass(declared: string): 'text' | 'numeric' {
  return /INT|REAL|FLOA|DOUB|NUM/i.test(declared) ? 'numeric' : 'text';
}

/**
 * Makes one model's table match its layout without losing data: creates it if missing, adds missing
 * columns (`ALTER TABLE ADD COLUMN` keeps rows), and creates missing indexes. A column whose type moved
 * between text and numeric is rebuilt only while the table is empty; with rows in it that is a breaking
 * change and must go through `reset()`, so it throws instead of corrupting values.
 *
 * @example
 * await applyTableLayout(conn, buildTableLayout(schema.models.Todo))
 */
export async function applyTableLayout(conn: SqliteConnection, layout: TableLayout): Promise<void> {
  const existing = (await conn.all(`PRAGMA table_info(${layout.table})`)) as Array<{ name: string; type: string }>;
  if (existing.length > 0) {
    const declared = new Map(existing.map((c) => [c.name.toLowerCase(), c.type]));
    const changed = layout.columns.filter((c) => {
      const type = declared.get(c.field.toLowerCase());
      return type !== undefined && affinityClass(type) !== affinityClass(c.sqlType satisfies ColumnSqlType);
    });
    if (changed.length > 0) {
      const row = await conn.get(`SELECT 1 AS present FROM ${layout.table} LIMIT 1`);
      if (row) {
        throw new StorageError(
          'sqlite',
          `model ${layout.model}: field(s) ${changed.map((c) => c.field).join(', ')} changed between text and number ` +
            'while records are stored. That is a breaking schema change: reset() the store (after sending or exporting the outbox) before prepare().',
        );
      }
      await conn.exec(`DROP TABLE ${layout.table}`);
      existing.length = 0;
    } else {
      for (const name of ['_nulls', '_extra']) {
        if (!declared.has(name)) await conn.exec(`ALTER TABLE ${layout.table} ADD COLUMN "${name}" TEXT`);
      }
      for (const col of layout.columns) {
        if (!declared.has(col.field.toLowerCase())) {
          await conn.exec(`ALTER TABLE ${layout.table} ADD COLUMN ${col.sql} ${col.sqlType}`);
        }
      }
    }
  }
  if (existing.length === 0) await conn.exec(createTableSql(layout));
  for (const index of layout.indexes) await conn.exec(createIndexSql(layout, index));
}
