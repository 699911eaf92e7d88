import type { ModelConstructor, PredicateInput, QueryObserver, QueryResult } from '@offgrid/core';
import type { Readable } from 'svelte/store';
import type { AnyDataStore, LiveQueryOptions, QueryState } from './types.js';

/**
 * A Svelte store over a core observer. The observer already counts its listeners (it starts on the first
 * and stops after the last), so each store subscriber simply becomes one of them.
 */
export function observerStore<T, S>(observer: QueryObserver<T>, select: (result: QueryResult<T>) => S): Readable<S> {
  // The observer returns the same result while nothing changed; keep the selected value just as stable.
  let last: { result: QueryResult<T>; value: S } | undefined;
  const selected = (result: QueryResult<T>): S => {
    if (last?.result !== result) last = { result, value: select(result) };
    return last.value;
  };
  return {
    subscribe(run) {
      const unsubscribe = observer.subscribe((result) => run(selected(result)));
      run(selected(observer.getCurrentResult()));
      return unsubscribe;
    },
  };
}

/**
 * A live query as a Svelte store: the current records of a model, then every change that touches them.
 * The query runs while the store has subscribers.
 *
 * @example
 * <script lang="ts">
 *   const open = queryStore(store, Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })
 * </script>
 * {#each $open.data as todo (todo.id)}<li>{todo.title}</li>{/each}
 */
export function queryStore<T extends object>(
  store: AnyDataStore,
  model: ModelConstructor<T>,
  predicate?: PredicateInput<T>,
  options?: LiveQueryOptions<T>,
): Readable<QueryState<T>> {
  return observerStore(store.liveQuery(model, predicate, options), (r) => ({
    data: r.items,
    isSynced: r.isSynced,
    isLoading: r.isLoading,
    error: r.error,
  }));
}
