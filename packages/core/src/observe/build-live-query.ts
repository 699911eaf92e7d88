import type { NormalizedSchema } from '@offgrid/schema';
import { UnknownModelError, ValidationError } from '../errors';
import { buildPredicate, buildSort } from '../predicates/build-predicate';
import type { PredicateInput, SortInput } from '../predicates/predicate-types';
import type { ModelConstructor } from '../schema/init-schema';
import type { LiveQueryOptions } from './live-query';

/** Sort and limit of a live query, and the name of the call that asked for it (for error messages). */
export interface LiveQueryArgs<T> {
  sort?: SortInput<T> | undefined;
  limit?: number | undefined;
  /** The user's call, named in errors (`useQuery`, `injectQuery`, ...). Default `liveQuery`. */
  caller?: string;
}

/**
 * Checks and builds what a live query selects; throws the error the user's call should report (an
 * unknown model, a bad predicate, sort or limit), naming that call.
 *
 * @example
 * buildLiveQuery(store.schema, Todo, (p) => p.done.eq(false), { limit: 10, caller: 'useQuery' })
 */
export function buildLiveQuery<T extends object>(
  schema: NormalizedSchema,
  model: ModelConstructor<T> | string,
  predicate: PredicateInput<T> | undefined,
  args: LiveQueryArgs<T> = {},
): LiveQueryOptions {
  const name = typeof model === 'string' ? model : (model as { modelName?: string } | undefined)?.modelName;
  if (typeof name !== 'string' || !schema.models[name]) {
    throw new UnknownModelError(String(name ?? model), Object.keys(schema.models));
  }
  const { limit, sort } = args;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new ValidationError(name, undefined, `${args.caller ?? 'liveQuery'} limit must be a positive integer, got ${limit}; pass 1 or more, or leave limit out for all records`);
  }
  const node = buildPredicate(schema, name, predicate);
  const specs = buildSort(schema.models[name]!, sort);
  return { model: name, ...(node ? { predicate: node } : {}), ...(specs ? { sort: specs } : {}), ...(limit !== undefined ? { limit } : {}) };
}

/**
 * The cache key of a live query: equal for two queries that select the same records, whatever
 * closures built them.
 *
 * @example
 * liveQueryKey({ model: 'Todo', limit: 10 }) // '["Todo",null,null,10]'
 */
export function liveQueryKey(options: LiveQueryOptions): string {
  return JSON.stringify([options.model, options.predicate ?? null, options.sort ?? null, options.limit ?? null]);
}
