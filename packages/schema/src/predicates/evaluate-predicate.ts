import { compareValues } from './compare-values';
import type { PredicateNode } from './predicate-node';
import { ownProperty } from '../own-property';

function isMissing(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

function matchesField(actual: unknown, op: string, operand: unknown): boolean {
  if (isMissing(actual)) {
    switch (op) {
      case 'eq':
        return isMissing(operand);
      case 'ne':
        return !isMissing(operand);
      case 'notContains':
      case 'notIn':
        return true;
      default:
        return false;
    }
  }
  switch (op) {
    case 'eq':
      return compareValues(actual, operand) === 0 && !isMissing(operand);
    case 'ne':
      return isMissing(operand) || compareValues(actual, operand) !== 0;
    case 'gt':
      return !isMissing(operand) && compareValues(actual, operand) > 0;
    case 'ge':
      return !isMissing(operand) && compareValues(actual, operand) >= 0;
    case 'lt':
      return !isMissing(operand) && compareValues(actual, operand) < 0;
    case 'le':
      return !isMissing(operand) && compareValues(actual, operand) <= 0;
    case 'between': {
      const [low, high] = operand as [unknown, unknown];
      return compareValues(actual, low) >= 0 && compareValues(actual, high) <= 0;
    }
    case 'beginsWith':
      return typeof actual === 'string' && actual.startsWith(String(operand));
    case 'contains':
      return Array.isArray(actual) ? actual.includes(operand) : String(actual).includes(String(operand));
    case 'notContains':
      return Array.isArray(actual) ? !actual.includes(operand) : !String(actual).includes(String(operand));
    case 'in':
      return (operand as unknown[]).some((v) => compareValues(actual, v) === 0);
    case 'notIn':
      return !(operand as unknown[]).some((v) => compareValues(actual, v) === 0);
    default:
      throw new Error(`Unknown predicate operator "${op}"`);
  }
}

/**
 * Evaluates a predicate on one record in memory. Relation nodes are answered by `relation`, which the
 * engine backs with point lookups; storage adapters never see relation nodes.
 *
 * @example
 * evaluatePredicate({ type: 'field', field: 'done', op: 'eq', value: false }, todo) // true or false
 */
export function evaluatePredicate(
  node: PredicateNode | undefined,
  record: Record<string, unknown>,
  relation?: (field: string, predicate: PredicateNode, record: Record<string, unknown>) => boolean,
): boolean {
  if (!node) return true;
  switch (node.type) {
    case 'and':
      return node.children.every((c) => evaluatePredicate(c, record, relation));
    case 'or':
      return node.children.some((c) => evaluatePredicate(c, record, relation));
    case 'not':
      return !evaluatePredicate(node.child, record, relation);
    case 'field':
      return matchesField(ownProperty(record, node.field), node.op, node.value);
    case 'relation':
      if (!relation) throw new Error(`Relation predicate on "${node.field}" needs a relation resolver`);
      return relation(node.field, node.predicate, record);
  }
}

/** True when the predicate (or any part of it) crosses a relation. */
export function hasRelationNode(node: PredicateNode | undefined): boolean {
  if (!node) return false;
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.some(hasRelationNode);
    case 'not':
      return hasRelationNode(node.child);
    case 'relation':
      return true;
    default:
      return false;
  }
}
