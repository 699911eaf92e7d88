import type { FieldOperator, PredicateNode } from '../predicates/predicate-node';
import type { ModelDefinition } from '../types';
import { ownProperty } from '../own-property';

const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'between', 'beginsWith', 'contains', 'notContains', 'in', 'notIn']);

/** A filter that cannot be read, with the path to the bad part. */
export class FilterInputError extends Error {
  readonly code = 'INVALID_FILTER';
}

/** An AppSync filter or condition input: `{ title: { eq: 'x' }, and: [...], or: [...], not: {...} }`. */
export type FilterInput = { [field: string]: unknown };

/**
 * Reads an AppSync filter/condition input as a predicate node. Several operators on one field, and
 * several fields, all have to hold (AND), as in AppSync.
 *
 * @example
 * filterToPredicate(model, { done: { eq: false }, or: [{ priority: { gt: 2 } }] })
 */
export function filterToPredicate(model: ModelDefinition, filter: FilterInput | null | undefined, path = 'filter'): PredicateNode | undefined {
  if (filter === null || filter === undefined) return undefined;
  if (typeof filter !== 'object' || Array.isArray(filter)) {
    throw new FilterInputError(`${path} must be an object such as { title: { eq: "x" } }`);
  }
  const children: PredicateNode[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new FilterInputError(`${path}.${key} must be a list of filters`);
      children.push({ type: key, children: value.map((v, i) => filterToPredicate(model, v as FilterInput, `${path}.${key}[${i}]`) ?? { type: 'and', children: [] }) });
      continue;
    }
    if (key === 'not') {
      const child = filterToPredicate(model, value as FilterInput, `${path}.not`);
      if (child) children.push({ type: 'not', child });
      continue;
    }
    const field = ownProperty(model.fields, key);
    if (key !== '_deleted' && (!field || field.relation)) {
      throw new FilterInputError(`${path}.${key}: ${model.name} has no field "${key}"`);
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new FilterInputError(`${path}.${key} must be an object of operators such as { eq: ... }`);
    }
    for (const [op, operand] of Object.entries(value as Record<string, unknown>)) {
      if (operand === undefined) continue;
      if (op === 'attributeExists') {
        children.push({ type: 'field', field: key, op: operand ? 'ne' : 'eq', value: null });
        continue;
      }
      if (!OPERATORS.has(op)) {
        throw new FilterInputError(`${path}.${key}.${op}: unsupported operator (use one of ${[...OPERATORS].join(', ')}, attributeExists)`);
      }
      if ((op === 'between' && (!Array.isArray(operand) || operand.length !== 2)) || ((op === 'in' || op === 'notIn') && !Array.isArray(operand))) {
        throw new FilterInputError(`${path}.${key}.${op} needs ${op === 'between' ? 'a [low, high] pair' : 'a list'}`);
      }
      children.push({ type: 'field', field: key, op: op as FieldOperator, value: operand });
    }
  }
  return children.length === 1 ? children[0] : { type: 'and', children };
}

/**
 * Writes a predicate node as an AppSync filter input (for sync expressions sent to the server).
 * Relation predicates cannot be sent: resolve them to key fields first.
 *
 * @example
 * predicateToFilter({ type: 'field', field: 'owner', op: 'eq', value: 'ada' }) // { owner: { eq: 'ada' } }
 */
export function predicateToFilter(node: PredicateNode): FilterInput {
  switch (node.type) {
    case 'and':
    case 'or':
      return { [node.type]: node.children.map(predicateToFilter) };
    case 'not':
      return { not: predicateToFilter(node.child) };
    case 'field':
      return { [node.field]: { [node.op]: node.value } };
    case 'relation':
      throw new FilterInputError(`a filter sent to the server cannot cross the relation "${node.field}"; filter on its key field instead`);
  }
}
