import type { PredicateInput, QueryResult, SortInput } from '@offgrid/core';
import { useMemo, useSyncExternalStore } from 'react';
import { useDataStore } from './data-store-context';
import { LiveQueryHandle } from './live-query-handle';
import { queryInput, type ModelArg } from './query-input';

/** Options of {@link useQuery}. */
export interface UseQueryOptions<T> {
  /** Builder (`(s) => s.title('ASCENDING')`) or list (`[{ field: 'title', direction: 'asc' }]`). */
  sort?: SortInput<T>;
  /** At most this many records (a positive integer). */
  limit?: number;
  /** `false` runs no query and returns an empty, not-loading result. Default `true`. */
  enabled?: boolean;
}

/** What {@link useQuery} returns. The object is the same across renders until the result changes. */
export interface UseQueryResult<T> {
  /** The matching records, sorted; frozen record objects, kept by identity when unchanged. */
  data: readonly T[];
  /** True once the model is synced with the server (always true for a local-only store). */
  isSynced: boolean;
  /** True until the first snapshot is read from local storage. */
  isLoading: boolean;
  /** Why the query failed to read, if it did. */
  error: Error | undefined;
}

const DISABLED: QueryResult<never> = Object.freeze({ items: Object.freeze([]), isSynced: true, isLoading: false, error: undefined });
const disabledSnapshot = () => DISABLED;
const subscribeNothing = () => () => {};

/**
 * A live query: the records of a model matching a predicate, kept current as the store changes, locally
 * or through sync. Built on `useSyncExternalStore` over core's `QueryObserver`, so a concurrent render
 * never sees two versions of the result, and a change that does not touch the result does not re-render.
 *
 * A new predicate function on each render is fine: the query is keyed by what the predicate, sort and
 * limit select, and is only replaced when that changes. An invalid predicate or sort throws during
 * render, as it would from `store.query`.
 *
 * @example
 * function OpenTodos({ listId }: { listId: string }) {
 *   const { Todo } = useDataStore<Models>().models
 *   const { data, isLoading } = useQuery(Todo, (p) => p.and((p) => [p.listID.eq(listId), p.done.eq(false)]), {
 *     sort: (s) => s.title('ASCENDING'),
 *     limit: 50,
 *   })
 *   if (isLoading) return <Spinner />
 *   return <ul>{data.map((t) => <li key={t.id}>{t.title}</li>)}</ul>
 * }
 */
export function useQuery<T extends object = Record<string, any>>(
  model: ModelArg<T>,
  predicate?: PredicateInput<T>,
  options: UseQueryOptions<T> = {},
): UseQueryResult<T> {
  const store = useDataStore();
  const enabled = options.enabled ?? true;
  const input = enabled ? queryInput(store.schema, model, predicate, options.sort, options.limit) : undefined;
  const key = input?.key;

  // Recreated only when what the query selects changes; `input` of this render describes exactly `key`.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the query's serialisation on purpose
  const handle = useMemo(() => {
    if (!input) return undefined;
    const { model: name, predicate: node, sort, limit } = input;
    return new LiveQueryHandle<T>(() =>
      store.liveQuery<T>(name, node, { ...(sort ? { sort: sort as unknown as SortInput<T> } : {}), ...(limit !== undefined ? { limit } : {}) }),
    );
  }, [store, key]);

  const result: QueryResult<T> = useSyncExternalStore(
    handle?.subscribe ?? subscribeNothing,
    handle?.getSnapshot ?? disabledSnapshot,
    handle?.getSnapshot ?? disabledSnapshot,
  );

  return useMemo(
    () => ({ data: result.items, isSynced: result.isSynced, isLoading: result.isLoading, error: result.error }),
    [result],
  );
}
