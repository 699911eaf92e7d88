import { shallowRef, toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { followQuery } from './follow-query';
import { toPredicate, type MaybeRefOrGetterPredicate, type ModelArg, type UseQueryOptions } from './query-inputs';
import { injectStore } from './use-data-store';

/** What {@link useQuery} returns: refs that follow the live query. */
export interface UseQueryResult<T> {
  /** The matching records, sorted and limited. The same array until the result changes. */
  data: Readonly<ShallowRef<readonly T[]>>;
  /** True once the model's records are synced with the server (always true for a local-only store). */
  isSynced: Readonly<ShallowRef<boolean>>;
  /** True until the first snapshot of the current query is read (a previous query's rows may show meanwhile). */
  isLoading: Readonly<ShallowRef<boolean>>;
  /** Why the query failed (an invalid predicate or limit, a storage error, a closed store); `data` then never holds another query's rows. */
  error: Readonly<ShallowRef<Error | undefined>>;
}

/**
 * A live query as refs. The predicate and options may be plain values, refs or getters; the query follows
 * them, and a new observer is opened only when what they select changes (compared by the built predicate,
 * sort and limit, not by function identity); until its rows arrive the previous rows stay, with
 * `isLoading` true. Refs a predicate reads while it builds are tracked too. Components running the same
 * query share one live query and one storage read. Everything is released with the effect scope; during
 * server rendering nothing is subscribed. Errors are reported in `error` (`throwOnError` throws them to
 * `onErrorCaptured`).
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
  const data = shallowRef<readonly T[]>([]);
  const isSynced = shallowRef(false);
  const isLoading = shallowRef(false);
  const error = shallowRef<Error | undefined>(undefined);
  followQuery<T>(
    () => {
      const { sort, limit } = toValue(options) ?? {};
      return store.liveQuery<T>(model, toPredicate(predicate), { sort, limit, caller: 'useQuery' });
    },
    (r) => {
      data.value = r.items;
      isSynced.value = r.isSynced;
      isLoading.value = r.isLoading;
      error.value = r.error;
    },
    toValue(options)?.throwOnError,
  );
  return { data, isSynced, isLoading, error };
}
