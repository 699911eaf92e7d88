export { createDataStorePlugin, DataStoreKey, DataStorePlugin, provideDataStore, type DataStorePluginOptions } from './data-store-plugin';
export type { ThrowOnError } from './follow-query';
export { DataStoreNotProvidedError } from './data-store-not-provided-error';
export type { MaybeRefOrGetterPredicate, ModelArg, UseQueryOptions } from './query-inputs';
export { useDataStore } from './use-data-store';
export { useQuery, type UseQueryResult } from './use-query';
export { useItem, type UseItemOptions, type UseItemResult } from './use-item';
export { useSyncStatus } from './use-sync-status';
export { useRecordStatus, type RecordStatus } from './use-record-status';
