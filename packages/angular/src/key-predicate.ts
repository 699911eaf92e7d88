import type { KeyInput, PredicateNode } from '@offgrid/core';

/** A predicate selecting one record by its key: an id string, or the fields of a custom or composite key. */
export function keyPredicate(primaryKey: readonly string[], key: KeyInput): PredicateNode {
  const values: Record<string, unknown> = typeof key === 'string' ? { [primaryKey[0]!]: key } : key;
  return { type: 'and', children: primaryKey.map((field) => ({ type: 'field', field, op: 'eq', value: values[field] })) };
}
