import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

function measure(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  depth: number,
  seen: Set<string>,
): { depth: number; cost: number } {
  if (!set) return { depth, cost: 0 };
  let max = depth;
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const inner = measure(sel.selectionSet, fragments, depth + 1, seen);
      max = Math.max(max, inner.depth);
      // A field with a selection set may return a list: weigh what is under it more.
      cost += 1 + (sel.selectionSet ? inner.cost * 10 : 0);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const inner = measure(sel.selectionSet, fragments, depth, seen);
      max = Math.max(max, inner.depth);
      cost += inner.cost;
    } else {
      const name = sel.name.value;
      if (seen.has(name)) continue;
      const fragment = fragments.get(name);
      const inner = measure(fragment?.selectionSet, fragments, depth, new Set([...seen, name]));
      max = Math.max(max, inner.depth);
      cost += inner.cost;
    }
  }
  return { depth: max, cost };
}

/**
 * A validation rule that refuses documents nested deeper than `maxDepth` or costing more than `maxCost`
 * (fields, weighted by nesting), before anything runs.
 *
 * @example
 * validate(schema, document, [...specifiedRules, queryLimitsRule(12, 5000)])
 */
export function queryLimitsRule(maxDepth: number, maxCost: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    return {
      OperationDefinition(node) {
        const { depth, cost } = measure(node.selectionSet, fragments, 0, new Set());
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`Query is nested ${depth} levels deep; the limit is ${maxDepth}. Select fewer nested fields.`, { nodes: [node] }));
        }
        if (cost > maxCost) {
          context.reportError(new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}. Select fewer fields or split the query.`, { nodes: [node] }));
        }
      },
    };
  };
}
