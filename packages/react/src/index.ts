export { DataStoreProvider, useDataStore, type DataStoreProviderProps } from './data-store-context';
export { useQuery, type UseQueryOptions, type UseQueryResult } from './use-query';
export { useItem, type UseItemOptions, type UseItemResult } from './use-item';
export type { ThrowOnError } from './use-live-query';
export { useSyncStatus } from './use-sync-status';
export { useSyncProgress } from './use-sync-progress';
export { useRecordStatus, type RecordStatus } from './use-record-status';
export { MissingProviderError } from './errors';
export type { ModelArg } from './query-input';
