import type { DataStore, DehydratedQueries, HydratedQueries } from '@offgrid/core';
import { provide, type App, type InjectionKey, type Plugin } from 'vue';

type AnyDataStore = DataStore<any>;

/** Options of the plugin and of {@link provideDataStore}. */
export interface DataStorePluginOptions {
  /**
   * Rows read on the server with `prefetchQueries`, given to the server's app and again to the client's:
   * the queries they answer render these rows at once (no loading state) and hydrate without a flash.
   */
  initialQueries?: DehydratedQueries;
}

/** @internal Where the app's prefetched rows are provided. */
export const HydratedQueriesKey: InjectionKey<HydratedQueries> = Symbol('offgrid.HydratedQueries');

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
 * // server rendering with data: createSSRApp(App).use(createDataStorePlugin(store, { initialQueries }))
 */
export function createDataStorePlugin(store: AnyDataStore, options: DataStorePluginOptions = {}): Plugin {
  return { install: (app: App) => install(app, store, options) };
}

function install(app: App, store: AnyDataStore, options: DataStorePluginOptions = {}): void {
  app.provide(DataStoreKey, store);
  if (options.initialQueries) app.provide(HydratedQueriesKey, store.liveQueries.hydrate(options.initialQueries));
}

/**
 * The same plugin taking the store as its option.
 *
 * @example
 * createApp(App).use(DataStorePlugin, store).mount('#app')
 */
export const DataStorePlugin: Plugin<[AnyDataStore, DataStorePluginOptions?]> = { install };

/**
 * Provides a store to the calling component and its descendants (in `setup`), e.g. in tests or when two
 * stores live in one app.
 *
 * @example
 * setup() { provideDataStore(store) }
 */
export function provideDataStore(store: AnyDataStore, options: DataStorePluginOptions = {}): void {
  provide(DataStoreKey, store);
  if (options.initialQueries) provide(HydratedQueriesKey, store.liveQueries.hydrate(options.initialQueries));
}
