import type { QueryResult } from '@offgrid/core';
import { shallowRef, toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { followObserver } from './follow-observer';
import { modelName, queryKey, toPredicate, type MaybeRefOrGetterPredicate, type ModelArg, type UseQueryOptions } from './query-inputs';
import { injectStore } from './use-data-store';

/** What {@link useQuery} returns: refs that follow the live query. */
export interface UseQueryResult<T> {
  /** The matching records, sorted and limited. The same array until the result changes. */
  data: Readonly<ShallowRef<readonly T[]>>;
  /** True once the model's records are synced with the server (always true for a local-only store). */
  isSynced: Readonly<ShallowRef<boolean>>;
  /** True until the first snapshot of the current query is read. */
  isLoading: Readonly<ShallowRef<boolean>>;
  /** Why the query failed (an invalid predicate or limit, a storage error), else undefined. */
  error: Readonly<ShallowRef<Error | undefined>>;
}

/**
 * A live query as refs. The predicate and options may be plain values, refs or getters; the query follows
 * them, and a new observer is opened only when what they select changes (compared by the built predicate,
 * sort and limit, not by function identity). Refs a predicate reads while it builds are tracked too.
 * A change elsewhere in the store leaves `data` untouched. Everything is released with the effect scope.
 *
 * A predicate is a function of one parameter; a function of none is a getter returning the predicate.
 *
 * @example
 * const { Todo } = useDataStore<TodoModels>().models
 * const filter = ref<'all' | 'active'>('all')
 * const { data: todos, isLoading } = useQuery(
 *   Todo,
 *   () => (filter.value === 'active' ? (p) => p.done.eq(false) : undefined),
 *   { sort: (s) => s.title('ASCENDING'), limit: 50 },
 * )
 */
export function useQuery<T extends object = Record<string, any>>(
  model: ModelArg<T>,
  predicate?: MaybeRefOrGetterPredicate<T>,
  options?: MaybeRefOrGetter<UseQueryOptions<T> | undefined>,
): UseQueryResult<T> {
  const store = injectStore('useQuery');
  const name = modelName(model);
  const data = shallowRef<readonly T[]>([]);
  const isSynced = shallowRef(false);
  const isLoading = shallowRef(true);
  const error = shallowRef<Error | undefined>(undefined);

  followObserver<T>(
    () => {
      const p = toPredicate(predicate);
      const o = toValue(options);
      return { key: queryKey(store, name, p, o), open: () => store.liveQuery<T>(model, p, o) };
    },
    (result: QueryResult<T> | undefined, failure?: Error) => {
      if (result) {
        data.value = result.items;
        isSynced.value = result.isSynced;
        isLoading.value = result.isLoading;
        error.value = result.error;
      } else {
        isLoading.value = false;
        error.value = failure;
      }
    },
  );

  return { data, isSynced, isLoading, error };
}
