import type { ChangePage, ServerRecord } from './record-store';
import { UnknownModelError } from './store-errors';

/** GraphQL names, which is what model names are; anything else is refused before it reaches SQL. */
const SQL_SAFE_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** PostgreSQL truncates identifiers beyond 63 bytes; we refuse them instead of colliding silently. */
const MAX_IDENTIFIER_BYTES = 63;

/** Table name prefix for record tables: `rec_Todo`. */
export const RECORD_TABLE_PREFIX = 'rec_';

/** Double-quotes an SQL identifier (works for SQLite and PostgreSQL). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The (unquoted) table name of a model's records; refuses names that are not GraphQL names. */
export function recordTableName(model: string): string {
  if (!SQL_SAFE_NAME.test(model)) throw new UnknownModelError(model);
  const table = `${RECORD_TABLE_PREFIX}${model}`;
  // Room for the longest derived index name suffix (`_tombstones`).
  if (Buffer.byteLength(table) + '_tombstones'.length > MAX_IDENTIFIER_BYTES) {
    throw new RangeError(`Model name "${model}" is too long for a table name (at most ${MAX_IDENTIFIER_BYTES - 15} characters).`);
  }
  return table;
}

/** Checks a PostgreSQL schema name (we interpolate it into DDL and into a `nextval('...')` literal). */
export function assertSchemaName(schema: string): void {
  if (!SQL_SAFE_NAME.test(schema) || Buffer.byteLength(schema) > MAX_IDENTIFIER_BYTES) {
    throw new RangeError(
      `Invalid PostgreSQL schema name "${schema}": use letters, digits and underscores, at most ${MAX_IDENTIFIER_BYTES} characters.`,
    );
  }
}

/** Validates `changes` arguments so both stores fail the same way. */
export function assertPageArguments(afterSeq: number, untilSeq: number, limit: number, maxBytes: number): void {
  if (!Number.isSafeInteger(afterSeq) || !Number.isSafeInteger(untilSeq)) {
    throw new RangeError(`changes(): afterSeq and untilSeq must be integers (got ${afterSeq}, ${untilSeq}).`);
  }
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`changes(): limit must be an integer >= 1 (got ${limit}).`);
  if (!(maxBytes > 0)) throw new RangeError(`changes(): maxBytes must be > 0 (got ${maxBytes}).`);
}

/**
 * Cuts rows fetched with `LIMIT limit + 1` into one page: at most `limit` records and at most `maxBytes` of
 * data (the first record always goes in, however large). `more` is true when anything was left out.
 */
export function cutChangePage(
  rows: ReadonlyArray<{ record: ServerRecord; bytes: number }>,
  afterSeq: number,
  limit: number,
  maxBytes: number,
): ChangePage {
  const records: ServerRecord[] = [];
  let total = 0;
  let more = rows.length > limit;
  for (const row of rows.slice(0, limit)) {
    if (records.length > 0 && total + row.bytes > maxBytes) {
      more = true;
      break;
    }
    records.push(row.record);
    total += row.bytes;
  }
  const last = records[records.length - 1];
  return { records, lastSeq: last ? last.seq : afterSeq, more };
}

/** Orders the records a transaction wrote by their assigned seq. */
export function bySeq(a: ServerRecord, b: ServerRecord): number {
  return a.seq - b.seq;
}
