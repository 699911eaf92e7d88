import type { DataStore } from '@offgrid/core';
import { provide, type App, type InjectionKey, type Plugin } from 'vue';

type AnyDataStore = DataStore<any>;

/**
 * The injection key the store is provided under. Use it to provide a store to one subtree only.
 *
 * @example
 * provide(DataStoreKey, store)
 */
export const DataStoreKey: InjectionKey<AnyDataStore> = Symbol('offgrid.DataStore');

/**
 * A plugin that provides `store` to the whole app, so components reach it with `useDataStore()` and the
 * composables.
 *
 * @example
 * createApp(App).use(createDataStorePlugin(store)).mount('#app')
 */
export function createDataStorePlugin(store: AnyDataStore): Plugin {
  return { install: (app: App) => void app.provide(DataStoreKey, store) };
}

/**
 * The same plugin taking the store as its option.
 *
 * @example
 * createApp(App).use(DataStorePlugin, store).mount('#app')
 */
export const DataStorePlugin: Plugin<[AnyDataStore]> = {
  install: (app: App, store: AnyDataStore) => void app.provide(DataStoreKey, store),
};

/**
 * Provides a store to the calling component and its descendants (in `setup`), e.g. in tests or when two
 * stores live in one app.
 *
 * @example
 * setup() { provideDataStore(store) }
 */
export function provideDataStore(store: AnyDataStore): void {
  provide(DataStoreKey, store);
}
