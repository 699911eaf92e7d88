import { assertInInjectionContext, computed, inject, type Signal } from '@angular/core';
import type { KeyInput, ModelConstructor } from '@offgrid/core';
import { DATA_STORE } from './data-store-token';
import { keyPredicate } from './key-predicate';
import { liveQuerySignal } from './live-query-signal';
import { readInput, type ReactiveInput } from './reactive-input';

/** One live record as signals. */
export interface ItemSignals<T> {
  /** The record; `undefined` while loading, when absent, or without a key. */
  data: Signal<T | undefined>;
  isSynced: Signal<boolean>;
  isLoading: Signal<boolean>;
  error: Signal<Error | undefined>;
}

/**
 * One record by id (or key fields), live. The key may be a signal or getter; `undefined` leaves it idle.
 *
 * @example
 * class TodoDetail {
 *   readonly id = input<string>()
 *   readonly todo = injectItem(Todo, this.id)
 *   // template: {{ todo.data()?.title }}
 * }
 */
export function injectItem<T extends object>(model: ModelConstructor<T> | string, key: ReactiveInput<KeyInput | undefined>): ItemSignals<T> {
  assertInInjectionContext(injectItem);
  const store = inject(DATA_STORE);
  const primaryKey = typeof model === 'string' ? store.schema.models[model]?.primaryKey : model.definition.primaryKey;
  const result = liveQuerySignal<T>(model, () => {
    const k = readInput(key);
    return k === undefined ? undefined : { predicate: primaryKey && keyPredicate(primaryKey, k), limit: 1 };
  });
  return {
    data: computed(() => result().items[0]),
    isSynced: computed(() => result().isSynced),
    isLoading: computed(() => result().isLoading),
    error: computed(() => result().error),
  };
}
