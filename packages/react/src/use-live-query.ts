import { liveQueryKey, type DataStore, type LiveQueryOptions, type QueryObserver, type QueryResult } from '@offgrid/core';
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { useDataStoreContext } from './data-store-context';

/** When reading the result throws its error, for an error boundary (TanStack Query's `throwOnError`). */
export type ThrowOnError = boolean | ((error: Error) => boolean);

const IDLE: QueryResult<never> = Object.freeze({ items: Object.freeze([]), isSynced: true, isLoading: false, error: undefined });
const idleSnapshot = () => IDLE;
const subscribeNothing = () => () => {};

/**
 * @internal The shared bridge of `useQuery` and `useItem`: builds the query each render (cheap), keeps one
 * observer per distinct query, and follows it with `useSyncExternalStore`. `build` returns `undefined` for
 * "select nothing" and throws for an invalid query, which is reported in `error` (with no rows), or thrown
 * during render when `throwOnError` says so. A new query shows the previous result's rows, marked loading,
 * until its own arrive; rows prefetched on the server show at once. On a server nothing subscribes.
 */
export function useLiveQuery<T>(hook: string, build: (store: DataStore<any>) => LiveQueryOptions | undefined, throwOnError: ThrowOnError | undefined): QueryResult<T> {
  const { store, hydrated } = useDataStoreContext(`${hook}()`);
  let options: LiveQueryOptions | undefined;
  let failure: Error | undefined;
  try {
    options = build(store);
  } catch (error) {
    failure = error as Error;
  }
  const key = options ? liveQueryKey(options) : failure ? `failed:${failure.message}` : 'idle';
  // The last result on screen: a new query shows its rows until its own arrive (no empty blink).
  const shown = useRef<QueryResult<T> | undefined>(undefined);

  // Recreated only when what the query selects changes; `options` and `failure` of this render describe `key`.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the query's serialisation on purpose
  const source = useMemo((): { observer?: QueryObserver<T>; failed?: QueryResult<T> } => {
    if (failure) return { failed: Object.freeze({ items: Object.freeze([]) as readonly T[], isSynced: false, isLoading: false, error: failure }) };
    if (!options) return {};
    const observer = store.liveQueries.observe<T>(options);
    const previous = shown.current;
    observer.setPlaceholder(
      hydrated?.placeholderFor(observer) ?? (previous && !previous.error && previous.items.length > 0 ? { items: previous.items, isLoading: true } : undefined),
    );
    return { observer };
  }, [store, hydrated, key]);

  const snapshot = source.observer?.getCurrentResult ?? (source.failed ? () => source.failed! : idleSnapshot);
  const result = useSyncExternalStore(source.observer?.subscribe ?? subscribeNothing, snapshot, snapshot) as QueryResult<T>;
  useEffect(() => {
    shown.current = result;
  });
  if (result.error && (typeof throwOnError === 'function' ? throwOnError(result.error) : throwOnError)) throw result.error;
  return result;
}
