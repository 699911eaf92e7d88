import type { PredicateNode, SortSpec, StorageQuery } from '@offgrid/core';
import { compilePredicate } from './compile-predicate';
import type { SqliteValue } from './sqlite-driver';
import { PK_COLUMN, type TableLayout } from './table-layout';

/** What is left to do in JavaScript when part of a query has no exact SQL form. */
export interface QueryResidual {
  /** Re-check rows with `evaluatePredicate` (the SQL kept a superset). */
  predicate: PredicateNode | undefined;
  /** Sort rows with `recordComparator` (a sort field is a list, embedded object or unknown field). */
  sort: SortSpec[] | undefined;
  offset: number;
  limit: number | undefined;
}

/** A compiled query: one parameterised SELECT and, rarely, a residual to finish in JavaScript. */
export interface QueryPlan {
  sql: string;
  params: SqliteValue[];
  residual: QueryResidual | undefined;
}

function isSqlSortable(layout: TableLayout, sort: readonly SortSpec[]): boolean {
  return sort.every((s) => {
    const col = layout.byField.get(s.field);
    return col !== undefined && col.codec !== 'json';
  });
}

/**
 * ORDER BY reproducing `recordComparator`: SQLite already puts NULL first ascending and last descending,
 * as the oracle does, so no NULLS FIRST/LAST clause is added (a non-default one would stop SQLite from
 * walking an index). The key breaks ties in the direction of the last sort field.
 */
function orderBy(layout: TableLayout, sort: readonly SortSpec[]): string {
  const dir = (s: SortSpec | undefined) => (s?.direction === 'desc' ? 'DESC' : 'ASC');
  const terms = sort.map((s) => `${layout.byField.get(s.field)!.sql} ${dir(s)}`);
  terms.push(`${PK_COLUMN} ${dir(sort[sort.length - 1])}`);
  return terms.join(', ');
}

/**
 * Compiles a storage query to one SELECT with WHERE, ORDER BY and LIMIT/OFFSET all in SQL. Only a predicate
 * or sort that SQL cannot reproduce exactly (e.g. ordering by a list field) leaves a residual, and then
 * limit and offset move to JavaScript too, after the exact filter.
 *
 * @example
 * const plan = compileQuery(layout, {
 *   predicate: { type: 'field', field: 'owner', op: 'eq', value: 'ada' },
 *   sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 100,
 * })
 * // plan.sql: SELECT ... WHERE "owner" = ? ORDER BY "updatedAt" DESC, "_pk" DESC LIMIT ? OFFSET ?
 */
export function compileQuery(layout: TableLayout, query: StorageQuery): QueryPlan {
  const where = compilePredicate(query.predicate, layout);
  const sort = query.sort ?? [];
  const sortable = isSqlSortable(layout, sort);
  const offset = Math.max(0, Math.trunc(query.offset ?? 0));
  const limit = query.limit === undefined ? undefined : Math.max(0, Math.trunc(query.limit));
  const params = where.params.slice();
  let sql = `SELECT ${layout.selectList} FROM ${layout.table}`;
  if (where.sql !== '1') sql += ` WHERE ${where.sql}`;
  if (sortable) sql += ` ORDER BY ${orderBy(layout, sort)}`;
  if (where.exact && sortable) {
    if (limit !== undefined || offset > 0) {
      sql += ' LIMIT ? OFFSET ?';
      params.push(limit ?? -1, offset);
    }
    return { sql, params, residual: undefined };
  }
  return {
    sql,
    params,
    residual: {
      predicate: where.exact ? undefined : query.predicate,
      sort: sortable ? undefined : sort,
      offset,
      limit,
    },
  };
}
