import { DestroyRef, inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import type { DataStore, DehydratedQueries } from '@offgrid/core';
import { DataStoreService } from './data-store-service';
import { DATA_STORE, HYDRATED_QUERIES } from './data-store-token';

/** Options of {@link provideDataStore}. */
export interface DataStoreProviderOptions {
  /**
   * Rows read on the server with `prefetchQueries`, given to the server's app and again to the browser's:
   * the queries they answer render these rows at once and hydrate without a loading flash.
   */
  initialQueries?: DehydratedQueries;
}

/**
 * Provides a store to an application (or any environment injector): the {@link DATA_STORE} token and
 * {@link DataStoreService}. Pass a factory to create the store lazily; a store made by the factory belongs
 * to the injector and is closed when the injector is destroyed. A store passed as is stays open.
 *
 * @example
 * bootstrapApplication(App, {
 *   providers: [provideZonelessChangeDetection(), provideDataStore(() => createTodoStore())],
 * })
 */
export function provideDataStore(storeOrFactory: DataStore<any> | (() => DataStore<any>), options: DataStoreProviderOptions = {}): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: DATA_STORE,
      useFactory: () => {
        if (typeof storeOrFactory !== 'function') return storeOrFactory;
        const store = storeOrFactory();
        inject(DestroyRef).onDestroy(() => void store.close().catch(() => undefined));
        return store;
      },
    },
    { provide: DataStoreService, useFactory: () => new DataStoreService(inject(DATA_STORE)) },
    ...(options.initialQueries ? [{ provide: HYDRATED_QUERIES, useFactory: () => inject(DATA_STORE).liveQueries.hydrate(options.initialQueries) }] : []),
  ]);
}
