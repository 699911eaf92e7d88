import { DestroyRef, ErrorHandler, PLATFORM_ID, computed, effect, inject, signal, untracked, type Signal } from '@angular/core';
import type { QueryObserver, QueryResult } from '@offgrid/core';
import { HYDRATED_QUERIES } from './data-store-token';

/** When the query's error also goes to Angular's `ErrorHandler` (TanStack Query's `throwOnError`). */
export type ThrowOnError = boolean | ((error: Error) => boolean);

const IDLE: QueryResult<never> = Object.freeze({ items: Object.freeze([]), isSynced: true, isLoading: false, error: undefined });

type Attempt<T> = { observer?: QueryObserver<T>; key: string; error?: Error };

/**
 * Bridges the store's live-query observer to a signal. `open` runs in a `computed`, so the query follows
 * the signals it reads; it returns an observer, `undefined` to select nothing, or throws for an invalid
 * query (reported in `error`, with no rows). The running observer is replaced only when the query's key
 * changes; until the new rows arrive the previous rows show, marked loading. Rows prefetched on the server
 * show at once. On the server platform nothing subscribes: the result is read once. Released through
 * `DestroyRef`.
 */
export function liveQuerySignal<T>(open: () => QueryObserver<T> | undefined, throwOnError: ThrowOnError | undefined): Signal<QueryResult<T>> {
  const hydrated = inject(HYDRATED_QUERIES, { optional: true });
  const errorHandler = inject(ErrorHandler);
  const attempt = computed(
    (): Attempt<T> => {
      try {
        const observer = open();
        return observer ? { observer, key: observer.key } : { key: 'idle' };
      } catch (error) {
        return { key: `failed:${(error as Error).message}`, error: error as Error };
      }
    },
    { equal: (a, b) => a.key === b.key },
  );
  const result = signal<QueryResult<T>>(IDLE);
  const show = (next: Attempt<T>) => {
    if (next.error) return result.set(Object.freeze({ ...IDLE, isSynced: false, error: next.error }));
    if (!next.observer) return result.set(IDLE);
    const previous = result();
    next.observer.setPlaceholder(
      hydrated?.placeholderFor(next.observer) ?? (!previous.error && previous.items.length > 0 ? { items: previous.items, isLoading: true } : undefined),
    );
    result.set(next.observer.getCurrentResult());
  };

  if (inject(PLATFORM_ID) === 'server') {
    untracked(() => show(attempt()));
    return result.asReadonly();
  }

  let stop: (() => void) | undefined;
  let reported: Error | undefined;
  const report = (r: QueryResult<T>) => {
    if (!r.error || r.error === reported || !(typeof throwOnError === 'function' ? throwOnError(r.error) : throwOnError)) return;
    reported = r.error;
    errorHandler.handleError(r.error);
  };
  effect(() => {
    const next = attempt();
    untracked(() => {
      stop?.();
      stop = undefined;
      show(next);
      report(result());
      const observer = next.observer;
      if (observer) {
        stop = observer.subscribe(() => {
          result.set(observer.getCurrentResult());
          report(result());
        });
      }
    });
  });
  inject(DestroyRef).onDestroy(() => {
    stop?.();
    stop = undefined;
  });
  return result.asReadonly();
}
