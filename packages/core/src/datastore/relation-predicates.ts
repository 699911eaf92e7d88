import type { ModelDefinition } from '@offgrid/schema';
import type { PredicateNode, StorageQuery } from '../predicates/predicate-node';
import type { StorageReader, StoredRecord } from '../storage/storage-adapter';
import type { StoreContext } from './store-context';

const NOTHING: PredicateNode = { type: 'or', children: [] };

/** `fields` of a record equal one of `tuples`: an `in` for one field, an `or` of `and`s for composite keys. */
export function fieldsIn(fields: readonly string[], tuples: unknown[][]): PredicateNode {
  const present = tuples.filter((t) => t.every((v) => v !== null && v !== undefined));
  if (present.length === 0) return NOTHING;
  if (fields.length === 1) {
    return { type: 'field', field: fields[0]!, op: 'in', value: [...new Set(present.map((t) => t[0]))] };
  }
  return {
    type: 'or',
    children: present.map((t) => ({
      type: 'and',
      children: fields.map((f, i) => ({ type: 'field', field: f, op: 'eq', value: t[i] }) as PredicateNode),
    })),
  };
}

/** The join model's key fields that point at the other side of a many-to-many. */
function otherSideOfJoin(join: ModelDefinition, other: string): string[] {
  for (const name of join.fieldOrder) {
    const r = join.fields[name]!.relation;
    if (r?.kind === 'belongsTo' && r.model === other) return r.targetNames;
  }
  throw new Error(`${join.name} has no belongsTo to ${other}`);
}

/**
 * Rewrites relation predicates into predicates on the model's own fields, by querying the related model
 * through the storage engine (so its indexes serve the inner predicate). Adapters then see only plain
 * field predicates.
 */
export async function resolveRelationPredicates(
  ctx: StoreContext,
  tx: StorageReader,
  modelName: string,
  node: PredicateNode | undefined,
): Promise<PredicateNode | undefined> {
  if (!node) return undefined;
  const model = ctx.model(modelName);
  switch (node.type) {
    case 'and':
    case 'or':
      return { type: node.type, children: await Promise.all(node.children.map((c) => resolveRelationPredicates(ctx, tx, modelName, c))) as PredicateNode[] };
    case 'not':
      return { type: 'not', child: (await resolveRelationPredicates(ctx, tx, modelName, node.child))! };
    case 'field':
      return node;
    case 'relation': {
      const relation = model.fields[node.field]!.relation!;
      const related = ctx.model(relation.model);
      const matches = await queryResolved(ctx, tx, related.name, { predicate: node.predicate });
      switch (relation.kind) {
        case 'belongsTo':
        case 'hasOne':
          return fieldsIn(relation.targetNames, matches.map((r) => related.primaryKey.map((k) => r[k])));
        case 'hasMany':
          return fieldsIn(model.primaryKey, matches.map((r) => relation.associatedWith.map((f) => r[f])));
        case 'manyToMany': {
          const join = ctx.model(relation.joinModel);
          const otherFields = otherSideOfJoin(join, related.name);
          const joins = await queryResolved(ctx, tx, join.name, {
            predicate: fieldsIn(otherFields, matches.map((r) => related.primaryKey.map((k) => r[k]))),
          });
          return fieldsIn(model.primaryKey, joins.map((j) => relation.associatedWith.map((f) => j[f])));
        }
      }
    }
  }
}

/** Runs a query whose predicate may cross relations. */
export async function queryResolved(
  ctx: StoreContext,
  tx: StorageReader,
  modelName: string,
  query: StorageQuery,
): Promise<StoredRecord[]> {
  const predicate = await resolveRelationPredicates(ctx, tx, modelName, query.predicate);
  return tx.query(modelName, { ...query, predicate });
}
