import type { HydratedQueries, QueryObserver, QueryResult } from '@offgrid/core';
import { hasInjectionContext, inject, onScopeDispose, shallowRef, ssrContextKey, watch } from 'vue';
import { HydratedQueriesKey } from './data-store-plugin';

/** When reading the result throws its error, for `onErrorCaptured` / `app.config.errorHandler`. */
export type ThrowOnError = boolean | ((error: Error) => boolean);

const IDLE: QueryResult<never> = Object.freeze({ items: Object.freeze([]), isSynced: true, isLoading: false, error: undefined });

/** @internal True while Vue renders on a server (`renderToString` provides the SSR context). */
export function isServerRendering(): boolean {
  return hasInjectionContext() && inject(ssrContextKey, null) !== null;
}

/**
 * @internal The shared bridge of `useQuery` and `useItem`. `open` runs inside a watcher, so the query
 * follows the refs it reads; it returns an observer, `undefined` to select nothing, or throws for an
 * invalid query (reported in the result's `error`, with no rows). A new observer only replaces the running
 * one when its query differs; until its rows arrive, the previous rows show, marked loading. Rows
 * prefetched on the server show at once. On a server nothing subscribes: the result is read once.
 */
export function followQuery<T>(
  open: () => QueryObserver<T> | undefined,
  onResult: (result: QueryResult<T>) => void,
  throwOnError: ThrowOnError | undefined,
): void {
  const hydrated = hasInjectionContext() ? inject(HydratedQueriesKey, undefined) : undefined;
  const current = shallowRef<QueryResult<T>>(IDLE);
  const set = (next: QueryResult<T>) => {
    current.value = next;
    onResult(next);
  };

  const attempt = (): { observer?: QueryObserver<T>; key: string; error?: Error } => {
    try {
      const observer = open();
      return observer ? { observer, key: observer.key } : { key: 'idle' };
    } catch (error) {
      return { key: `failed:${(error as Error).message}`, error: error as Error };
    }
  };
  const show = (next: ReturnType<typeof attempt>, previous: QueryResult<T> | undefined) => {
    if (next.error) return Object.freeze({ ...IDLE, isSynced: false, error: next.error });
    if (!next.observer) return IDLE;
    next.observer.setPlaceholder(placeholderFor(next.observer, hydrated, previous));
    return next.observer.getCurrentResult();
  };

  if (isServerRendering()) {
    set(show(attempt(), undefined));
    return;
  }

  let activeKey: string | undefined;
  let release: (() => void) | undefined;
  const close = () => {
    release?.();
    release = undefined;
  };
  watch(
    attempt,
    (next) => {
      if (next.key === activeKey) return;
      activeKey = next.key;
      const previous = current.value;
      close();
      set(show(next, previous));
      const observer = next.observer;
      if (observer) release = observer.subscribe(() => set(observer.getCurrentResult()));
    },
    { immediate: true },
  );
  if (throwOnError) {
    // Thrown from a watcher, the error reaches onErrorCaptured and app.config.errorHandler, as TanStack Query's.
    watch(
      () => current.value.error,
      (error) => {
        if (error && (typeof throwOnError === 'function' ? throwOnError(error) : throwOnError)) throw error;
      },
      { immediate: true },
    );
  }
  onScopeDispose(close);
}

function placeholderFor<T>(observer: QueryObserver<T>, hydrated: HydratedQueries | undefined, previous: QueryResult<T> | undefined) {
  const prefetched = hydrated?.placeholderFor(observer);
  if (prefetched) return prefetched;
  return previous && !previous.error && previous.items.length > 0 ? { items: previous.items, isLoading: true } : undefined;
}
