import { inject, InjectionToken } from '@angular/core';
import type { DataStore, HydratedQueries } from '@offgrid/core';

/**
 * The injection token of the app's {@link DataStore}. Register it with `provideDataStore`.
 *
 * @example
 * const store = inject(DATA_STORE)
 */
export const DATA_STORE = new InjectionToken<DataStore<any>>('@offgrid/angular DATA_STORE');

/** @internal Rows prefetched on the server (`provideDataStore(store, { initialQueries })`), as records. */
export const HYDRATED_QUERIES = new InjectionToken<HydratedQueries>('@offgrid/angular HYDRATED_QUERIES');

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
