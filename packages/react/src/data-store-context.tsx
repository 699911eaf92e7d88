import type { DataStore } from '@offgrid/core';
import { createContext, useContext, type ReactNode } from 'react';
import { MissingProviderError } from './errors';

// The context holds a store of any model map; hooks re-type it.
type AnyStore = DataStore<any>;

const DataStoreContext = createContext<AnyStore | undefined>(undefined);

/** Props of {@link DataStoreProvider}. */
export interface DataStoreProviderProps {
  /** The store the hooks below read from; create it once, outside render. */
  store: AnyStore;
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
export function DataStoreProvider({ store, children }: DataStoreProviderProps) {
  return <DataStoreContext.Provider value={store}>{children}</DataStoreContext.Provider>;
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
  const store = useContext(DataStoreContext);
  if (!store) throw new MissingProviderError('useDataStore()');
  return store as DataStore<M>;
}
