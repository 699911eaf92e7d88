import { assertInInjectionContext, computed, inject, type Signal } from '@angular/core';
import { ValidationError, type KeyInput, type ModelConstructor } from '@offgrid/core';
import { DATA_STORE } from './data-store-token';
import { keyPredicate } from './key-predicate';
import { liveQuerySignal, type ThrowOnError } from './live-query-signal';
import { readInput, type ReactiveInput } from './reactive-input';

/** One live record as signals. */
export interface ItemSignals<T> {
  /** The record; `undefined` while loading, when absent, or for a `null`/`undefined` key. */
  data: Signal<T | undefined>;
  isSynced: Signal<boolean>;
  isLoading: Signal<boolean>;
  error: Signal<Error | undefined>;
}

/** Options of {@link injectItem}. */
export interface InjectItemOptions {
  /** Also hand the error to Angular's `ErrorHandler` (see `injectQuery`). */
  throwOnError?: ThrowOnError;
}

/**
 * One record by id (or key fields), live. The key may be a signal or getter; `null` or `undefined`
 * selects nothing.
 *
 * @example
 * class TodoDetail {
 *   readonly id = input<string>()
 *   readonly todo = injectItem(Todo, this.id)
 *   // template: {{ todo.data()?.title }}
 * }
 */
export function injectItem<T extends object>(
  model: ModelConstructor<T> | string,
  key: ReactiveInput<KeyInput | null | undefined>,
  options: InjectItemOptions = {},
): ItemSignals<T> {
  assertInInjectionContext(injectItem);
  const store = inject(DATA_STORE);
  const result = liveQuerySignal<T>(() => {
    const k = readInput(key);
    if (k === undefined || k === null) return undefined;
    const name = typeof model === 'string' ? model : model.modelName;
    const fields = store.schema.models[name]?.primaryKey;
    if (fields && typeof k === 'string' && fields.length > 1) {
      throw new ValidationError(name, fields[0], `has a composite key; pass { ${fields.join(', ')} } to injectItem instead of a string`);
    }
    return store.liveQuery<T>(model, fields && keyPredicate(fields, k), { limit: 1, caller: 'injectItem' });
  }, options.throwOnError);
  return {
    data: computed(() => result().items[0]),
    isSynced: computed(() => result().isSynced),
    isLoading: computed(() => result().isLoading),
    error: computed(() => result().error),
  };
}
