import { StorageError, type StoredRecord } from '@offgrid/core';
import type { FieldDefinition, ModelDefinition, ScalarType } from '@offgrid/schema';
import type { SqliteValue } from './sqlite-driver';
import { quoteIdentifier } from './sql-identifier';

/** How a field's value is kept in its column. */
export type ColumnCodec = 'text' | 'integer' | 'real' | 'boolean' | 'json';

/** The declared SQL type; it decides the column's affinity. */
export type ColumnSqlType = 'TEXT' | 'INTEGER' | 'REAL';

/** One stored field and its column. */
export interface ColumnLayout {
  field: string;
  /** The quoted column name. */
  sql: string;
  codec: ColumnCodec;
  sqlType: ColumnSqlType;
  /** List fields are JSON arrays; `contains` tests membership with `json_each`. */
  isList: boolean;
}

/** One SQL index: its name (unquoted) and quoted columns, ending with `_pk` so sorted scans need no tie-break sort. */
export interface IndexLayout {
  name: string;
  columns: string[];
}

/**
 * How one model is stored: a table with `_pk` (the record key string), `_nulls` (JSON list of fields
 * given explicitly as null, NULL when none), `_extra` (JSON of keys the schema does not know, NULL when
 * none), then one column per stored field and the sync metadata fields.
 */
export interface TableLayout {
  model: string;
  /** The quoted table name. */
  table: string;
  columns: ColumnLayout[];
  byField: ReadonlyMap<string, ColumnLayout>;
  indexes: IndexLayout[];
  /** `"_pk", "_nulls", "_extra", <columns>`: the select list `decodeRow` expects. */
  selectList: string;
  upsertSql: string;
  getSql: string;
  /** Rows whose key is in a JSON array parameter. */
  getManySql: string;
  deleteSql: string;
  deleteAllSql: string;
  countSql: string;
}

/** Internal columns; a model field may not use these names. */
export const PK_COLUMN = '"_pk"';
const RESERVED_COLUMNS = ['_pk', '_nulls', '_extra'];
/** Tables the adapter owns; a model may not use these names. */
export const OUTBOX_TABLE = '_outbox';
export const META_TABLE = '_meta';

const METADATA_FIELDS: ReadonlyArray<[string, ColumnCodec]> = [
  ['_version', 'integer'],
  ['_lastChangedAt', 'integer'],
  ['_deleted', 'boolean'],
];

const SQL_TYPE: Record<ColumnCodec, ColumnSqlType> = {
  text: 'TEXT',
  integer: 'INTEGER',
  real: 'REAL',
  boolean: 'INTEGER',
  json: 'TEXT',
};

function scalarCodec(name: ScalarType): ColumnCodec {
  switch (name) {
    case 'Int':
    case 'AWSTimestamp':
      return 'integer';
    case 'Float':
      return 'real';
    case 'Boolean':
      return 'boolean';
    default:
      // AWSJSON is a JSON *string* in a record (core validates that), so it is stored as that text.
      return 'text';
  }
}

function fieldCodec(field: FieldDefinition): ColumnCodec {
  if (field.isList || field.type.kind === 'nonModel') return 'json';
  if (field.type.kind === 'enum') return 'text';
  if (field.type.kind === 'scalar') return scalarCodec(field.type.name);
  return 'json';
}

function isStored(field: FieldDefinition): boolean {
  return field.relation === undefined && field.type.kind !== 'model';
}

function layoutError(model: string, message: string): StorageError {
  return new StorageError('sqlite', `model ${model}: ${message}`);
}

/**
 * Checks that model names map to distinct tables. SQLite compares names case-insensitively, so `Todo`
 * and `todo` would share a table; that is refused rather than silently merged.
 *
 * @example
 * assertDistinctTableNames(['Todo', 'Note']) // ok
 */
export function assertDistinctTableNames(models: Iterable<string>): void {
  const seen = new Map<string, string>();
  for (const model of models) {
    const folded = model.toLowerCase();
    if (folded === OUTBOX_TABLE || folded === META_TABLE || folded.startsWith('sqlite_')) {
      throw layoutError(model, `the name is reserved in SQLite storage (${OUTBOX_TABLE}, ${META_TABLE}, sqlite_*); rename the model.`);
    }
    const other = seen.get(folded);
    if (other !== undefined) {
      throw layoutError(model, `its table would clash with model ${other} (SQLite table names ignore case); rename one of them.`);
    }
    seen.set(folded, model);
  }
}

/**
 * Works out how a model is stored. Throws when two fields would share a column (SQLite column names
 * ignore case) or a field uses a reserved column name, instead of silently merging them.
 *
 * @example
 * const layout = buildTableLayout(schema.models.Todo)
 * layout.byField.get('done')?.codec // 'boolean'
 */
export function buildTableLayout(model: ModelDefinition): TableLayout {
  const table = quoteIdentifier(model.name);
  const columns: ColumnLayout[] = [];
  const folded = new Map<string, string>(RESERVED_COLUMNS.map((c) => [c, `(reserved column ${c})`]));
  const add = (field: string, codec: ColumnCodec, isList: boolean) => {
    const key = field.toLowerCase();
    const other = folded.get(key);
    if (other !== undefined) {
      throw layoutError(model.name, `field ${field} would share a column with ${other} (SQLite column names ignore case); rename it.`);
    }
    folded.set(key, `field ${field}`);
    columns.push({ field, sql: quoteIdentifier(field), codec, sqlType: SQL_TYPE[codec], isList });
  };
  const names = model.fieldOrder.length > 0 ? model.fieldOrder : Object.keys(model.fields);
  for (const name of names) {
    const field = model.fields[name];
    if (field && isStored(field)) add(name, fieldCodec(field), field.isList);
  }
  for (const [name, codec] of METADATA_FIELDS) {
    if (!columns.some((c) => c.field === name)) add(name, codec, false);
  }
  const byField = new Map(columns.map((c) => [c.field, c]));

  const indexes: IndexLayout[] = [];
  const addIndex = (fields: readonly string[]) => {
    const cols = fields.map((f) => {
      const col = byField.get(f);
      if (!col) throw layoutError(model.name, `index field ${f} is not a stored field of the model.`);
      return col.sql;
    });
    // Named by its fields, so two @index with the same fields (or one equal to the key) share one index
    // and a changed field list makes a new index instead of silently keeping the old one.
    const name = `${model.name}(${fields.join(',')})`;
    if (indexes.some((i) => i.name === name)) return;
    indexes.push({ name, columns: [...cols, PK_COLUMN] });
  };
  addIndex(model.primaryKey);
  for (const index of model.indexes) addIndex(index.fields);

  const all = [PK_COLUMN, '"_nulls"', '"_extra"', ...columns.map((c) => c.sql)];
  const selectList = all.join(', ');
  const upsertSql =
    `INSERT INTO ${table} (${selectList}) VALUES (${all.map(() => '?').join(', ')}) ` +
    `ON CONFLICT(${PK_COLUMN}) DO UPDATE SET ${all
      .slice(1)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}`;
  return {
    model: model.name,
    table,
    columns,
    byField,
    indexes,
    selectList,
    upsertSql,
    getSql: `SELECT ${selectList} FROM ${table} WHERE ${PK_COLUMN} = ?`,
    getManySql: `SELECT ${selectList} FROM ${table} WHERE ${PK_COLUMN} IN (SELECT value FROM json_each(?))`,
    deleteSql: `DELETE FROM ${table} WHERE ${PK_COLUMN} = ?`,
    deleteAllSql: `DELETE FROM ${table}`,
    countSql: `SELECT count(*) AS n FROM ${table}`,
  };
}

function encodeValue(layout: TableLayout, col: ColumnLayout, value: unknown): SqliteValue {
  const bad = (expected: string) =>
    layoutError(
      layout.model,
      `field ${col.field} must be ${expected} to be stored, got ${Array.isArray(value) ? 'an array' : typeof value}.`,
    );
  switch (col.codec) {
    case 'text':
      if (typeof value !== 'string') throw bad('a string');
      return value;
    case 'integer':
    case 'real':
      if (typeof value !== 'number' || Number.isNaN(value)) throw bad('a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad('a boolean');
      return value ? 1 : 0;
    case 'json':
      if (col.isList && !Array.isArray(value)) throw bad('an array');
      return JSON.stringify(value);
  }
}

/**
 * Turns a record into the parameters of `layout.upsertSql`. A field given as `null` is remembered in
 * `_nulls` so it comes back as `null`, and a missing one comes back missing: records round-trip exactly.
 *
 * @example
 * conn.run(layout.upsertSql, encodeRecord(layout, 'a1', { id: 'a1', done: true }))
 */
export function encodeRecord(layout: TableLayout, key: string, record: StoredRecord): SqliteValue[] {
  const params: SqliteValue[] = [key, null, null];
  let nulls: string[] | undefined;
  for (const col of layout.columns) {
    const value = record[col.field];
    if (value === undefined) params.push(null);
    else if (value === null) {
      (nulls ??= []).push(col.field);
      params.push(null);
    } else params.push(encodeValue(layout, col, value));
  }
  let extra: Record<string, unknown> | undefined;
  for (const name in record) {
    if (!layout.byField.has(name) && record[name] !== undefined) (extra ??= {})[name] = record[name];
  }
  if (nulls) params[1] = JSON.stringify(nulls);
  if (extra) params[2] = JSON.stringify(extra);
  return params;
}

/**
 * Turns a row selected with `layout.selectList` back into the record that was put.
 *
 * @example
 * const row = await conn.get(`SELECT ${layout.selectList} FROM ${layout.table} WHERE "_pk" = ?`, [key])
 * const record = row && decodeRow(layout, row)
 */
export function decodeRow(layout: TableLayout, row: Record<string, SqliteValue>): StoredRecord {
  const record: StoredRecord = {};
  for (const col of layout.columns) {
    const raw = row[col.field];
    if (raw === null || raw === undefined) continue;
    switch (col.codec) {
      case 'boolean':
        record[col.field] = raw !== 0;
        break;
      case 'json':
        record[col.field] = JSON.parse(raw as string);
        break;
      default:
        record[col.field] = raw;
    }
  }
  const nulls = row._nulls;
  if (typeof nulls === 'string') for (const field of JSON.parse(nulls) as string[]) record[field] = null;
  const extra = row._extra;
  if (typeof extra === 'string') Object.assign(record, JSON.parse(extra));
  return record;
}

/** The record key of a row selected with `layout.selectList`. */
export function rowKey(row: Record<string, SqliteValue>): string {
  return row._pk as string;
}
