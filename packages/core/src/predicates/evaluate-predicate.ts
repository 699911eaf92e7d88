// Predicate semantics live in @offgrid/schema so the server and every adapter share one definition.
export { evaluatePredicate, hasRelationNode } from '@offgrid/schema';
