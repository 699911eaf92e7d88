export { queryStore } from './query-store.js';
export { itemStore } from './item-store.js';
export { syncStatusStore } from './sync-status-store.js';
export { syncProgressStore } from './sync-progress-store.js';
export { recordStatusStore, type RecordStatus } from './record-status-store.js';
export { getDataStoreContext, setDataStoreContext, type DataStoreContextOptions } from './context.js';
export { createQuery } from './create-query.svelte.js';
export type { AnyDataStore, CreateQueryOptions, ItemState, LiveQueryOptions, QueryInput, QueryState, ThrowOnError } from './types.js';
