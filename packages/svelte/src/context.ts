import { StoreStateError, type DehydratedQueries, type HydratedQueries } from '@offgrid/core';
import { getContext, hasContext, setContext } from 'svelte';
import type { AnyDataStore } from './types.js';

const KEY = Symbol.for('@offgrid/svelte:data-store');
const HYDRATED_KEY = Symbol.for('@offgrid/svelte:hydrated-queries');

/** Options of {@link setDataStoreContext}. */
export interface DataStoreContextOptions {
  /**
   * Rows read on the server with `prefetchQueries`, given on the server and again in the browser:
   * `createQuery` calls running those queries render the rows at once, with no loading state.
   */
  initialQueries?: DehydratedQueries;
}

/**
 * Makes a store available to this component's children; call it during component initialisation.
 *
 * @example
 * <script lang="ts">
 *   setDataStoreContext(createDataStore({ schema, storage: new IndexedDBAdapter({ name: 'app' }) }))
 * </script>
 */
export function setDataStoreContext<S extends AnyDataStore>(store: S, options: DataStoreContextOptions = {}): S {
  if (options.initialQueries) setContext(HYDRATED_KEY, store.liveQueries.hydrate(options.initialQueries));
  return setContext(KEY, store);
}

/** @internal The prefetched rows a parent put in context, if any (outside component initialisation: none). */
export function hydratedQueriesContext(): HydratedQueries | undefined {
  try {
    return hasContext(HYDRATED_KEY) ? getContext<HydratedQueries>(HYDRATED_KEY) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The store a parent set with {@link setDataStoreContext}; call it during component initialisation.
 *
 * @example
 * const store = getDataStoreContext<DataStore<TodoModels>>()
 */
export function getDataStoreContext<S extends AnyDataStore = AnyDataStore>(): S {
  if (!hasContext(KEY)) {
    throw new StoreStateError('No Offgrid DataStore in the Svelte context: call setDataStoreContext(store) in a parent component first.');
  }
  return getContext<S>(KEY);
}
