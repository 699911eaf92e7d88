/** The operators a field predicate can use. */
export type FieldOperator =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'between'
  | 'beginsWith'
  | 'contains'
  | 'notContains'
  | 'in'
  | 'notIn';

/**
 * A predicate as data: what the builder produces, what storage adapters execute and what the
 * sync engine sends to the server as a filter.
 *
 * - `between` takes `[low, high]` (both inclusive); `in`/`notIn` take an array.
 * - `contains`/`notContains` test a substring on strings and membership on lists.
 * - A missing (null) field matches only `ne`, `notContains` and `notIn`, as in Amplify.
 * - `relation` tests the related record(s) of a `belongsTo`/`hasOne`/`hasMany` field.
 *
 * @example
 * const p: PredicateNode = { type: 'and', children: [
 *   { type: 'field', field: 'owner', op: 'eq', value: 'ada' },
 *   { type: 'field', field: 'priority', op: 'gt', value: 2 },
 * ] }
 */
export type PredicateNode =
  | { type: 'and'; children: PredicateNode[] }
  | { type: 'or'; children: PredicateNode[] }
  | { type: 'not'; child: PredicateNode }
  | { type: 'field'; field: string; op: FieldOperator; value: unknown }
  | { type: 'relation'; field: string; predicate: PredicateNode };
