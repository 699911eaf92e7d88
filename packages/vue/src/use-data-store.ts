import type { DataStore } from '@offgrid/core';
import { hasInjectionContext, inject } from 'vue';
import { DataStoreKey } from './data-store-plugin';
import { DataStoreNotProvidedError } from './data-store-not-provided-error';

/**
 * The store provided by the plugin (or `provideDataStore`). Pass your model map for typed models.
 *
 * @example
 * const store = useDataStore<TodoModels>()
 * const { Todo } = store.models
 * const add = (title: string) => store.save(new Todo({ title, done: false }))
 */
export function useDataStore<M extends Record<string, object> = Record<string, Record<string, any>>>(): DataStore<M> {
  return injectStore('useDataStore') as DataStore<M>;
}

/** @internal The store, or an error naming the composable that needed it. */
export function injectStore(composable: string): DataStore<any> {
  const store = hasInjectionContext() ? inject(DataStoreKey, undefined) : undefined;
  if (!store) throw new DataStoreNotProvidedError(composable);
  return store;
}
