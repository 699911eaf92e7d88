import {
  buildPredicate,
  buildSort,
  type DataStore,
  type ModelConstructor,
  type ModelPredicate,
  type Predicate,
  type PredicateInput,
  type SortInput,
} from '@offgrid/core';
import { isRef, type ComputedRef, type MaybeRef } from 'vue';

/** A model: its constructor from `store.models`, or its name. */
export type ModelArg<T extends object> = ModelConstructor<T> | string;

/** `sort` and `limit` of a live query, as `store.liveQuery` takes them. */
export interface UseQueryOptions<T> {
  sort?: SortInput<T>;
  limit?: number;
}

/**
 * A predicate, a ref holding one, or a getter returning one. A predicate is itself a function of one
 * parameter (`(p) => p.done.eq(false)`); a function of none (`() => ...`) is read as a getter. Both
 * share one call signature so that TypeScript types `p` in either.
 */
export type MaybeRefOrGetterPredicate<T> =
  | MaybeRef<PredicateInput<T> | undefined>
  | ComputedRef<PredicateInput<T> | undefined>
  | ((p: ModelPredicate<T>) => Predicate | PredicateInput<T> | undefined);

/** @internal Reads a predicate argument (see {@link MaybeRefOrGetterPredicate}). */
export function toPredicate<T>(input: MaybeRefOrGetterPredicate<T>): PredicateInput<T> | undefined {
  if (isRef(input)) return input.value;
  if (typeof input === 'function' && input.length === 0) return (input as () => PredicateInput<T> | undefined)();
  return input as PredicateInput<T> | undefined;
}

/** @internal The model's name, for building predicates and keys. */
export function modelName<T extends object>(model: ModelArg<T>): string {
  return typeof model === 'string' ? model : model.modelName;
}

/**
 * @internal What a query selects, serialised: two inputs with the same key select the same records, so a
 * new predicate closure that builds the same node keeps the running observer. Building the predicate here,
 * inside the watcher, also tracks refs the predicate reads. An input the store refuses gets a key of its
 * own; opening the observer then reports the error.
 */
export function queryKey<T>(store: DataStore<any>, model: string, predicate: PredicateInput<T> | undefined, options: UseQueryOptions<T> | undefined): string {
  try {
    const def = store.schema.models[model];
    const sort = def ? buildSort(def, options?.sort) : undefined;
    return JSON.stringify([model, buildPredicate(store.schema, model, predicate) ?? null, sort ?? null, options?.limit ?? null]);
  } catch (error) {
    return `invalid:${model}:${(error as Error).message}`;
  }
}
