import type { ModelConstructor, PredicateInput, QueryObserver, QueryResult } from '@offgrid/core';
import { readable, type Readable } from 'svelte/store';
import type { AnyDataStore, LiveQueryOptions, QueryState } from './types.js';

/** @internal The result of a query that could not be opened: its error, and no rows. */
export function failedResult<T>(error: Error): QueryResult<T> {
  return Object.freeze({ items: Object.freeze([]) as readonly T[], isSynced: false, isLoading: false, error });
}

/** @internal The result of a query selecting nothing. */
export const IDLE: QueryResult<never> = Object.freeze({ items: Object.freeze([]), isSynced: true, isLoading: false, error: undefined });

/**
 * @internal A Svelte store over a core observer (or over a fixed result: an error, or nothing selected).
 * Subscribers get the current value at once; the observer is followed from a microtask later, while
 * anyone is still subscribed. Svelte's server renderer subscribes and unsubscribes within one synchronous
 * render, so on a server nothing ever follows the store.
 */
export function observerStore<T, S>(source: QueryObserver<T> | QueryResult<T>, select: (result: QueryResult<T>) => S): Readable<S> {
  // The observer returns the same result while nothing changed; keep the selected value just as stable.
  let last: { result: QueryResult<T>; value: S } | undefined;
  const selected = (result: QueryResult<T>): S => {
    if (last?.result !== result) last = { result, value: select(result) };
    return last.value;
  };
  if (!('subscribe' in source)) return readable(selected(source));
  const observer = source;
  const runs = new Set<{ run: (value: S) => void; seen: S }>();
  let stop: (() => void) | undefined;
  let queued = false;
  const emit = () => {
    const value = selected(observer.getCurrentResult());
    for (const subscriber of [...runs]) {
      if (subscriber.seen === value) continue;
      subscriber.seen = value;
      subscriber.run(value);
    }
  };
  return {
    subscribe(run) {
      const value = selected(observer.getCurrentResult());
      const subscriber = { run, seen: value };
      runs.add(subscriber);
      run(value);
      if (!stop && !queued) {
        queued = true;
        queueMicrotask(() => {
          queued = false;
          if (runs.size === 0 || stop) return;
          stop = observer.subscribe(emit);
          emit();
        });
      }
      return () => {
        runs.delete(subscriber);
        if (runs.size > 0 || !stop) return;
        stop();
        stop = undefined;
      };
    },
  };
}

/** @internal Opens a query, or the failed result saying why it cannot run. */
export function openQuery<T extends object>(open: () => QueryObserver<T>): QueryObserver<T> | QueryResult<T> {
  try {
    return open();
  } catch (error) {
    return failedResult<T>(error as Error);
  }
}

const toState = <T>(r: QueryResult<T>): QueryState<T> => ({ data: r.items, isSynced: r.isSynced, isLoading: r.isLoading, error: r.error });

/**
 * A live query as a Svelte store: the current records of a model, then every change that touches them.
 * The query runs while the store has subscribers (never during server rendering), and stores of the same
 * query share one live query and one storage read. An invalid predicate, sort or limit is reported in
 * `error`, with no rows.
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
  return observerStore(
    openQuery(() => store.liveQuery(model, predicate, { sort: options?.sort, limit: options?.limit, caller: 'queryStore' })),
    toState,
  );
}
