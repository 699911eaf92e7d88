import { assertInInjectionContext, computed, type Signal } from '@angular/core';
import type { ModelConstructor, SortInput } from '@offgrid/core';
import { liveQuerySignal } from './live-query-signal';
import { readInput, type ReactiveInput, type ReactivePredicate } from './reactive-input';

/** Options of {@link injectQuery}. */
export interface InjectQueryOptions<T> {
  sort?: SortInput<T>;
  limit?: number;
}

/** A live query as signals. */
export interface QuerySignals<T> {
  /** The matching records, sorted; a new array only when the result changed. */
  data: Signal<readonly T[]>;
  /** True once the model's records are synced with the server (always true for a local-only store). */
  isSynced: Signal<boolean>;
  /** True until the first snapshot is read from storage. */
  isLoading: Signal<boolean>;
  error: Signal<Error | undefined>;
}

/**
 * A live query as signals. The predicate and options may be signals or getters: the query follows them,
 * and restarts only when what they select changes. Released with the component or injector. Call it in
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
  const result = liveQuerySignal<T>(model, () => ({ predicate: readInput<T>(predicate), ...readInput(options) }));
  return {
    data: computed(() => result().items),
    isSynced: computed(() => result().isSynced),
    isLoading: computed(() => result().isLoading),
    error: computed(() => result().error),
  };
}
