import { buildLiveQuery, type PredicateInput, type SortInput } from '@offgrid/core';
import { useMemo } from 'react';
import type { ModelArg } from './query-input';
import { useLiveQuery, type ThrowOnError } from './use-live-query';

/** Options of {@link useQuery}. */
export interface UseQueryOptions<T> {
  /** Builder (`(s) => s.title('ASCENDING')`) or list (`[{ field: 'title', direction: 'asc' }]`). */
  sort?: SortInput<T>;
  /** At most this many records (a positive integer). */
  limit?: number;
  /** `false` runs no query and returns an empty, not-loading result. Default `true`. */
  enabled?: boolean;
  /**
   * `true` (or a function returning `true` for an error) throws the query's error during render, for the
   * nearest error boundary. By default the error is only reported in `error`.
   */
  throwOnError?: ThrowOnError;
}

/** What {@link useQuery} returns. The object is the same across renders until the result changes. */
export interface UseQueryResult<T> {
  /** The matching records, sorted; frozen record objects, kept by identity when unchanged. */
  data: readonly T[];
  /** True once the model is synced with the server (always true for a local-only store). */
  isSynced: boolean;
  /** True until the first snapshot of the current query is read (a previous query's rows may show meanwhile). */
  isLoading: boolean;
  /** Why the query failed (an invalid predicate or limit, a storage error, a closed store); `data` is then this query's last rows, never another query's. */
  error: Error | undefined;
}

/**
 * A live query: the records of a model matching a predicate, kept current as the store changes, locally
 * or through sync. Built on `useSyncExternalStore` over core's `QueryObserver`, so a concurrent render
 * never sees two versions of the result, and a change that does not touch the result does not re-render.
 * Components running the same query share one live query and one storage read.
 *
 * A new predicate function on each render is fine: the query is keyed by what the predicate, sort and
 * limit select, and is only replaced when that changes; until the new query's rows arrive, the previous
 * rows stay on screen with `isLoading: true`. An invalid predicate, sort or limit is reported in `error`
 * (or thrown during render with `throwOnError`).
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
  const { sort, limit, enabled = true, throwOnError } = options;
  const result = useLiveQuery<T>(
    'useQuery',
    (store) => (enabled ? buildLiveQuery(store.schema, model, predicate, { sort, limit, caller: 'useQuery' }) : undefined),
    throwOnError,
  );
  return useMemo(
    () => ({ data: result.items, isSynced: result.isSynced, isLoading: result.isLoading, error: result.error }),
    [result],
  );
}
