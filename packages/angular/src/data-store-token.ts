import { inject, InjectionToken } from '@angular/core';
import type { DataStore } from '@offgrid/core';

/**
 * The injection token of the app's {@link DataStore}. Register it with `provideDataStore`.
 *
 * @example
 * const store = inject(DATA_STORE)
 */
export const DATA_STORE = new InjectionToken<DataStore<any>>('@offgrid/angular DATA_STORE');

/**
 * The provided store, typed with your models. Call it in an injection context.
 *
 * @example
 * const store = injectDataStore<TodoModels>()
 * await store.save(new store.models.Todo({ title: 'Write docs', done: false }))
 */
export function injectDataStore<M extends Record<string, object> = Record<string, Record<string, any>>>(): DataStore<M> {
  return inject(DATA_STORE) as DataStore<M>;
}
