import { StoreStateError } from '@offgrid/core';
import { getContext, hasContext, setContext } from 'svelte';
import type { AnyDataStore } from './types.js';

const KEY = Symbol.for('@offgrid/svelte:data-store');

/**
 * Makes a store available to this component's children; call it during component initialisation.
 *
 * @example
 * <script lang="ts">
 *   setDataStoreContext(createDataStore({ schema, storage: new IndexedDBAdapter({ name: 'app' }) }))
 * </script>
 */
export function setDataStoreContext<S extends AnyDataStore>(store: S): S {
  return setContext(KEY, store);
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
