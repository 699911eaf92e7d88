import { DestroyRef, inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import type { DataStore } from '@offgrid/core';
import { DataStoreService } from './data-store-service';
import { DATA_STORE } from './data-store-token';

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
export function provideDataStore(storeOrFactory: DataStore<any> | (() => DataStore<any>)): EnvironmentProviders {
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
  ]);
}
