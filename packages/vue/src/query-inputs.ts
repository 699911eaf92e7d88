import type { ThrowOnError } from './follow-query';
import type { ModelConstructor, ModelPredicate, Predicate, PredicateInput, SortInput } from '@offgrid/core';
import { isRef, type ComputedRef, type MaybeRef } from 'vue';

/** A model: its constructor from `store.models`, or its name. */
export type ModelArg<T extends object> = ModelConstructor<T> | string;

/** `sort` and `limit` of a live query, as `store.liveQuery` takes them. */
export interface UseQueryOptions<T> {
  sort?: SortInput<T>;
  limit?: number;
  /** Throw the query's error from a watcher, for `onErrorCaptured` / `app.config.errorHandler`. Default: only `error` is set. */
  throwOnError?: ThrowOnError;
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
