import { assertInInjectionContext, computed, inject, type Signal } from '@angular/core';
import type { ModelConstructor, SortInput } from '@offgrid/core';
import { DATA_STORE } from './data-store-token';
import { liveQuerySignal, type ThrowOnError } from './live-query-signal';
import { readInput, type ReactiveInput, type ReactivePredicate } from './reactive-input';

/** Options of {@link injectQuery}. */
export interface InjectQueryOptions<T> {
  sort?: SortInput<T>;
  limit?: number;
  /** Also hand the query's error to Angular's `ErrorHandler`. Default: only `error()` is set. */
  throwOnError?: ThrowOnError;
}

/** A live query as signals. */
export interface QuerySignals<T> {
  /** The matching records, sorted; a new array only when the result changed. */
  data: Signal<readonly T[]>;
  /** True once the model's records are synced with the server (always true for a local-only store). */
  isSynced: Signal<boolean>;
  /** True until the first snapshot of the current query is read (a previous query's rows may show meanwhile). */
  isLoading: Signal<boolean>;
  /** Why the query failed (an invalid predicate or limit, a storage error, a closed store); `data` then never holds another query's rows. */
  error: Signal<Error | undefined>;
}

/**
 * A live query as signals. The predicate and options may be signals or getters: the query follows them,
 * and restarts only when what they select changes, keeping the previous rows (with `isLoading()` true)
 * until the new ones arrive. Components running the same query share one live query and one storage
 * read. Released with the component or injector; nothing subscribes during server rendering. Call it in
 * an injection context (a field initializer or constructor).
 *
 * @example
 * class TodoList {
 *   readonly listId = input.required<string>()
 *   readonly todos = injectQuery(Todo, () => (p) => p.listID.eq(this.listId()), { sort: (s) => s.title('ASCENDING') })
 *   // template: @for (todo of todos.data(); track todo.id) { ... }
 * }
 */
export function injectQuery<T extends object>(
  model: ModelConstructor<T> | string,
  predicate?: ReactivePredicate<T>,
  options?: ReactiveInput<InjectQueryOptions<T> | undefined>,
): QuerySignals<T> {
  assertInInjectionContext(injectQuery);
  const store = inject(DATA_STORE);
  const result = liveQuerySignal<T>(() => {
    const { sort, limit } = readInput(options) ?? {};
    return store.liveQuery<T>(model, readInput<T>(predicate), { sort, limit, caller: 'injectQuery' });
  }, readInput(options)?.throwOnError);
  return {
    data: computed(() => result().items),
    isSynced: computed(() => result().isSynced),
    isLoading: computed(() => result().isLoading),
    error: computed(() => result().error),
  };
}
