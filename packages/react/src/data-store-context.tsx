import type { DataStore, DehydratedQueries, HydratedQueries } from '@offgrid/core';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { MissingProviderError } from './errors';

// The context holds a store of any model map; hooks re-type it.
type AnyStore = DataStore<any>;

interface ContextValue {
  store: AnyStore;
  hydrated: HydratedQueries | undefined;
}

const DataStoreContext = createContext<ContextValue | undefined>(undefined);

/** Props of {@link DataStoreProvider}. */
export interface DataStoreProviderProps {
  /** The store the hooks below read from; create it once, outside render. */
  store: AnyStore;
  /**
   * Rows read on the server with `prefetchQueries`, passed on the server and again on the client: the
   * queries they answer render these rows at once (no loading state), and hydrate without a flash.
   */
  initialQueries?: DehydratedQueries;
  children?: ReactNode;
}

/**
 * Makes a store available to the hooks of the components below it.
 *
 * @example
 * const store = createDataStore<Models>({ schema, storage: new IndexedDBAdapter({ name: 'app' }) })
 * createRoot(el).render(
 *   <DataStoreProvider store={store}>
 *     <App />
 *   </DataStoreProvider>,
 * )
 */
export function DataStoreProvider({ store, initialQueries, children }: DataStoreProviderProps) {
  const value = useMemo(() => ({ store, hydrated: initialQueries && store.liveQueries.hydrate(initialQueries) }), [store, initialQueries]);
  return <DataStoreContext.Provider value={value}>{children}</DataStoreContext.Provider>;
}

/** @internal The provider's store and prefetched rows, or an error naming the hook. */
export function useDataStoreContext(hook: string): ContextValue {
  const value = useContext(DataStoreContext);
  if (!value) throw new MissingProviderError(hook);
  return value;
}

/**
 * The store of the nearest {@link DataStoreProvider}. Pass your model map for typed models.
 *
 * @example
 * const store = useDataStore<{ Todo: Todo }>()
 * const { Todo } = store.models
 * const add = (title: string) => store.save(new Todo({ title, done: false }))
 */
export function useDataStore<M extends Record<string, object> = Record<string, Record<string, any>>>(): DataStore<M> {
  return useDataStoreContext('useDataStore()').store as DataStore<M>;
}
