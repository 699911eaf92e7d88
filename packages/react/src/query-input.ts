import {
  buildPredicate,
  buildSort,
  UnknownModelError,
  type DataStore,
  type ModelConstructor,
  type PredicateInput,
  type PredicateNode,
  type SortInput,
  type SortSpec,
} from '@offgrid/core';

type NormalizedSchema = DataStore['schema'];

/** A model as hooks accept it: the model class from `store.models`, or its name. */
export type ModelArg<T extends object> = ModelConstructor<T> | string;

/** A live query with its predicate and sort built, and a key that is equal when the query is. */
export interface QueryInput {
  model: string;
  predicate: PredicateNode | undefined;
  sort: SortSpec[] | undefined;
  limit: number | undefined;
  key: string;
}

/** The model's name, checked against the schema. */
export function modelNameOf(schema: NormalizedSchema, model: ModelArg<object>): string {
  const name = typeof model === 'string' ? model : model?.modelName;
  if (typeof name !== 'string' || !schema.models[name]) {
    throw new UnknownModelError(String(name ?? model), Object.keys(schema.models));
  }
  return name;
}

/**
 * Builds a query's predicate and sort so that a new predicate function per render, describing the same
 * query, gives the same key (and so keeps the same live query).
 *
 * @example
 * queryInput(store.schema, Todo, (p) => p.done.eq(false), (s) => s.title('ASCENDING'), 10).key
 */
export function queryInput<T extends object>(
  schema: NormalizedSchema,
  model: ModelArg<T>,
  predicate: PredicateInput<T> | undefined,
  sort: SortInput<T> | undefined,
  limit: number | undefined,
): QueryInput {
  const name = modelNameOf(schema, model as ModelArg<object>);
  const node = buildPredicate(schema, name, predicate);
  const specs = buildSort(schema.models[name]!, sort);
  return { model: name, predicate: node, sort: specs, limit, key: JSON.stringify([name, node ?? null, specs ?? null, limit ?? null]) };
}
