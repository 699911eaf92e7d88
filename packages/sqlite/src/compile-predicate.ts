import type { FieldOperator, PredicateNode } from '@offgrid/core';
import type { SqliteValue } from './sqlite-driver';
import type { ColumnLayout, TableLayout } from './table-layout';

/**
 * A predicate as an SQL boolean expression. When `exact` is false the SQL is only a superset filter
 * (it keeps every matching row, maybe more) and the caller must finish with `evaluatePredicate`.
 */
export interface CompiledPredicate {
  sql: string;
  params: SqliteValue[];
  exact: boolean;
}

const TRUE: CompiledPredicate = { sql: '1', params: [], exact: true };
const FALSE: CompiledPredicate = { sql: '0', params: [], exact: true };
/** "Cannot say in SQL": keep every row and let the oracle decide. */
const UNKNOWN: CompiledPredicate = { sql: '1', params: [], exact: false };

/** Above this many operands, `in`/`notIn` bind one JSON array instead of one parameter each. */
const LONG_LIST = 64;

function isMissing(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/**
 * The bound value that makes SQL comparison agree with `compareValues` for this column, or undefined
 * when no single SQL comparison does (the node is then evaluated in JavaScript).
 */
function operand(col: ColumnLayout, v: unknown): SqliteValue | undefined {
  switch (col.codec) {
    case 'text':
      // compareValues compares a string with anything by String(); so does this.
      return String(v);
    case 'integer':
    case 'real':
      // NaN compares "equal" to every number in compareValues; only JavaScript can reproduce that.
      return typeof v === 'number' && !Number.isNaN(v) ? v : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
    case 'json':
      return undefined;
  }
}

/** The smallest string greater than every string starting with `prefix` (code point order), if any. */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      // Skip the surrogate block: those code points cannot appear in well-formed text.
      points.push(last === 0xd7ff ? 0xe000 : last + 1);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}

function membership(c: string, v: unknown): CompiledPredicate | undefined {
  // Array.prototype.includes is strict: 1 does not match true or "1", so the JSON type is tested too.
  const each = (where: string, params: SqliteValue[]) => ({
    sql: `EXISTS (SELECT 1 FROM json_each(${c}) WHERE ${where})`,
    params,
    exact: true,
  });
  if (typeof v === 'string') return each(`type = 'text' AND value = ?`, [v]);
  if (typeof v === 'number' && !Number.isNaN(v)) return each(`type IN ('integer', 'real') AND value = ?`, [v]);
  if (typeof v === 'boolean') return each(v ? `type = 'true'` : `type = 'false'`, []);
  if (v === null) return each(`type = 'null'`, []);
  if (v === undefined) return FALSE; // JSON has no undefined, so no stored list holds it.
  return undefined;
}

function operandList(col: ColumnLayout, v: unknown): SqliteValue[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: SqliteValue[] = [];
  for (const item of v) {
    // A null operand never equals a present value, and a missing value never matches `in`.
    if (isMissing(item)) continue;
    const bound = operand(col, item);
    if (bound === undefined) return undefined;
    out.push(bound);
  }
  return out;
}

function compileField(col: ColumnLayout | undefined, op: FieldOperator, v: unknown): CompiledPredicate | undefined {
  if (!col) return undefined;
  const c = col.sql;
  const one = (sql: string, value: SqliteValue | undefined) =>
    value === undefined ? undefined : { sql, params: [value], exact: true };
  switch (op) {
    case 'eq':
      return isMissing(v) ? { sql: `${c} IS NULL`, params: [], exact: true } : one(`${c} = ?`, operand(col, v));
    case 'ne':
      // A missing value is "not equal" to any present operand: IS NOT treats NULL as a value.
      return isMissing(v) ? { sql: `${c} IS NOT NULL`, params: [], exact: true } : one(`${c} IS NOT ?`, operand(col, v));
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      if (isMissing(v)) return FALSE;
      const sqlOp = op === 'gt' ? '>' : op === 'ge' ? '>=' : op === 'lt' ? '<' : '<=';
      return one(`${c} ${sqlOp} ?`, operand(col, v));
    }
    case 'between': {
      if (!Array.isArray(v) || v.length !== 2) return undefined;
      const [low, high] = v as [unknown, unknown];
      // compareValues puts null below everything: a null low bound is no bound, a null high bound excludes all.
      if (isMissing(high)) return FALSE;
      const hi = operand(col, high);
      if (isMissing(low)) return one(`${c} <= ?`, hi);
      const lo = operand(col, low);
      if (lo === undefined || hi === undefined) return undefined;
      return { sql: `${c} BETWEEN ? AND ?`, params: [lo, hi], exact: true };
    }
    case 'beginsWith': {
      // Only strings begin with anything (LIKE would also ignore case, so a range is used: it is exact
      // under BINARY collation and can use an index).
      if (col.codec !== 'text') return FALSE;
      const prefix = String(v);
      const upper = prefixUpperBound(prefix);
      return upper === undefined
        ? { sql: `${c} >= ?`, params: [prefix], exact: true }
        : { sql: `(${c} >= ? AND ${c} < ?)`, params: [prefix, upper], exact: true };
    }
    case 'contains':
    case 'notContains': {
      let positive: CompiledPredicate | undefined;
      if (col.isList) positive = membership(c, v);
      else if (col.codec === 'text') positive = { sql: `instr(${c}, ?) > 0`, params: [String(v)], exact: true };
      if (!positive) return undefined;
      if (op === 'contains') return positive;
      // A missing value contains nothing, so it matches notContains.
      if (positive === FALSE) return TRUE;
      return { sql: `(${c} IS NULL OR NOT (${positive.sql}))`, params: positive.params, exact: true };
    }
    case 'in':
    case 'notIn': {
      const list = operandList(col, v);
      if (!list) return undefined;
      if (list.length === 0) return op === 'in' ? FALSE : TRUE;
      // Long lists go in as one JSON parameter: SQLite caps bound variables, and one SQL text for every
      // length keeps the statement cache useful.
      const long = list.length > LONG_LIST;
      const set = long ? '(SELECT value FROM json_each(?))' : `(${list.map(() => '?').join(', ')})`;
      const params = long ? [JSON.stringify(list)] : list;
      return op === 'in'
        ? { sql: `${c} IN ${set}`, params, exact: true }
        : { sql: `(${c} IS NULL OR ${c} NOT IN ${set})`, params, exact: true };
    }
    default:
      return undefined;
  }
}

function compileNode(node: PredicateNode, layout: TableLayout): CompiledPredicate {
  switch (node.type) {
    case 'and':
    case 'or': {
      if (node.children.length === 0) return node.type === 'and' ? TRUE : FALSE;
      const parts = node.children.map((child) => compileNode(child, layout));
      if (parts.length === 1) return parts[0]!;
      // Each part of an AND or OR of supersets is still a superset, so inexact parts may stay in SQL.
      return {
        sql: `(${parts.map((p) => p.sql).join(node.type === 'and' ? ' AND ' : ' OR ')})`,
        params: parts.flatMap((p) => p.params),
        exact: parts.every((p) => p.exact),
      };
    }
    case 'not': {
      const inner = compileNode(node.child, layout);
      if (!inner.exact) return UNKNOWN;
      // Comparisons with NULL yield NULL, and NOT NULL is NULL (false) where the oracle says true;
      // `IS NOT 1` is two-valued.
      return { sql: `(${inner.sql}) IS NOT 1`, params: inner.params, exact: true };
    }
    case 'field':
      return compileField(layout.byField.get(node.field), node.op, node.value) ?? UNKNOWN;
    case 'relation':
      return UNKNOWN;
  }
}

/**
 * Compiles a predicate to a parameterised SQL condition on one model's table, reproducing
 * `evaluatePredicate` exactly wherever SQL can (missing values, booleans as 0/1, list membership with
 * `json_each`, prefixes as BINARY ranges). Values are always bound, never spliced into the SQL.
 *
 * @example
 * const where = compilePredicate({ type: 'field', field: 'owner', op: 'eq', value: 'ada' }, layout)
 * // { sql: '"owner" = ?', params: ['ada'], exact: true }
 */
export function compilePredicate(node: PredicateNode | undefined, layout: TableLayout): CompiledPredicate {
  return node ? compileNode(node, layout) : TRUE;
}
