import type { NormalizedSchema } from '@offgrid/schema';
import type { LiveQueryOptions } from '../observe/query-observer';
import type { PredicateNode } from '../predicates/predicate-node';
import type { AsyncCollection } from '../predicates/predicate-types';
import { fieldsIn } from './relation-predicates';

type Rec = Record<string, unknown>;

/** What relation access needs from the store: reads by key and by query. */
export interface RelationReads {
  schema: NormalizedSchema;
  byKey(model: string, key: Rec): Promise<unknown>;
  byQuery(options: LiveQueryOptions): Promise<Rec[]>;
}

/**
 * The value of a relation field of a record: a promise of the related record for belongsTo/hasOne, an
 * async collection of the children (or join records) for hasMany/manyToMany. Nothing is read until used.
 *
 * @example
 * const blog = await loadRelation(reads, 'Post', 'blog', post)
 */
export function loadRelation(reads: RelationReads, modelName: string, field: string, record: Rec): unknown {
  const model = reads.schema.models[modelName]!;
  const relation = model.fields[field]!.relation!;
  if (relation.kind === 'belongsTo' || relation.kind === 'hasOne') {
    const values = relation.targetNames.map((f) => record[f]);
    if (values.some((v) => v === null || v === undefined)) return Promise.resolve(undefined);
    const target = reads.schema.models[relation.model]!;
    return reads.byKey(relation.model, Object.fromEntries(target.primaryKey.map((k, i) => [k, values[i]])));
  }
  const child = relation.kind === 'hasMany' ? relation.model : relation.joinModel;
  const predicate = fieldsIn(relation.associatedWith, [model.primaryKey.map((k) => record[k])]);
  const load = (max?: number) => reads.byQuery({ model: child, predicate, ...(max !== undefined ? { limit: max } : {}) });
  const collection: AsyncCollection<Rec> = {
    toArray: (options) => load(options?.max),
    async *[Symbol.asyncIterator]() {
      yield* await load();
    },
  };
  return collection;
}

/** The models a predicate reaches through relations: a change to any of them can change its result. */
export function relatedModels(schema: NormalizedSchema, model: string, node: PredicateNode, into = new Set<string>()): Set<string> {
  if (node.type === 'and' || node.type === 'or') {
    for (const c of node.children) relatedModels(schema, model, c, into);
  } else if (node.type === 'not') relatedModels(schema, model, node.child, into);
  else if (node.type === 'relation') {
    const relation = schema.models[model]!.fields[node.field]!.relation!;
    into.add(relation.model);
    if (relation.kind === 'manyToMany') into.add(relation.joinModel);
    relatedModels(schema, relation.model, node.predicate, into);
  }
  return into;
}
