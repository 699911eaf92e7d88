import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** Depth (levels of selection below this set) and cost (fields, weighted by nesting) of a selection set. */
interface Measure {
  depth: number;
  cost: number;
}

/** The field's type on `parent`, when the schema knows it (unknown fields are reported by graphql-js's own rules). */
function fieldType(parent: GraphQLNamedType | undefined, name: string) {
  return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name]?.type : undefined;
}

/**
 * Measures a selection set. Each fragment is measured once and its result reused wherever it is spread:
 * without that, fragments that each spread the next one twice make the walk exponential, and a document
 * of a few hundred bytes would keep the server busy for minutes before being refused.
 */
function measure(
  schema: GraphQLSchema,
  parent: GraphQLNamedType | undefined,
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  memo: Map<string, Measure>,
  active: Set<string>,
): Measure {
  if (!set) return { depth: 0, cost: 0 };
  let depth = 0;
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const type = fieldType(parent, sel.name.value);
      const inner = measure(schema, type && getNamedType(type), sel.selectionSet, fragments, memo, active);
      depth = Math.max(depth, 1 + inner.depth);
      // A list multiplies what is selected under it; a single related object (Amplify's `post { id _deleted }`)
      // does not. A field the schema does not know is weighed as a list.
      const many = !type || isListType(getNullableType(type));
      cost += 1 + (sel.selectionSet ? inner.cost * (many ? 10 : 1) : 0);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const on = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
      const inner = measure(schema, on ?? undefined, sel.selectionSet, fragments, memo, active);
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
    } else {
      const name = sel.name.value;
      // A cycle is reported by graphql-js's NoFragmentCyclesRule; here it just adds nothing.
      if (active.has(name)) continue;
      let inner = memo.get(name);
      if (!inner) {
        active.add(name);
        const fragment = fragments.get(name);
        const on = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
        inner = measure(schema, on ?? undefined, fragment?.selectionSet, fragments, memo, active);
        active.delete(name);
        memo.set(name, inner);
      }
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
    }
  }
  return { depth, cost };
}

/**
 * A validation rule that refuses documents nested deeper than `maxDepth` or costing more than `maxCost`
 * (fields, each list weighing ten times what is selected under it), before anything runs.
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
        const schema = context.getSchema();
        const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
        const { depth, cost } = measure(schema, root ?? undefined, node.selectionSet, fragments, new Map(), new Set());
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
