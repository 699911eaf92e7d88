export { DATA_STORE, injectDataStore } from './data-store-token';
export { DataStoreService } from './data-store-service';
export { provideDataStore, type DataStoreProviderOptions } from './provide-data-store';
export { injectQuery, type InjectQueryOptions, type QuerySignals } from './inject-query';
export { injectItem, type InjectItemOptions, type ItemSignals } from './inject-item';
export type { ThrowOnError } from './live-query-signal';
export { injectSyncStatus } from './inject-sync-status';
export { injectRecordStatus, type RecordStatus } from './inject-record-status';
export type { ReactiveInput, ReactivePredicate } from './reactive-input';
