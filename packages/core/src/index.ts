export * from './errors';
export type { FieldOperator, PredicateNode, SortSpec, StorageQuery } from './predicates/predicate-node';
export {
  Predicates,
  SortDirection,
  type AsyncCollection,
  type BooleanOperators,
  type FieldOperators,
  type ListOperators,
  type ModelPredicate,
  type NumberOperators,
  type Predicate,
  type PredicateInput,
  type SortBuilder,
  type SortInput,
  type StringOperators,
} from './predicates/predicate-types';
export { buildPredicate, buildSort } from './predicates/build-predicate';
export { evaluatePredicate, hasRelationNode } from './predicates/evaluate-predicate';
export { compareValues } from './predicates/compare-values';
export { recordComparator } from './predicates/sort-records';
export type { MutationOperation, OutboxEntry, NewOutboxEntry } from './outbox/outbox-entry';
export { mergeOutboxEntry, type OutboxMergeResult } from './outbox/outbox-merge';
export type { StorageAdapter, StorageReader, StorageWriter, StoredRecord } from './storage/storage-adapter';
export { WriteQueue } from './storage/write-queue';
export { MemoryAdapter } from './storage/memory/memory-adapter';
export { initSchema, type ModelConstructor, type ModelInit, type ModelMap, type MutableModel } from './schema/init-schema';
export { modelNameOf } from './schema/model-record';
export { patchOf, type RecordPatch } from './schema/copy-of';
export { copyOf } from './schema/copy-of-any';
export type { ChangeBatch, RecordChange } from './observe/change-feed';
export { QueryObserver, type LiveQueryOptions, type QueryPlaceholder, type QueryResult } from './observe/query-observer';
export { LiveQueryCache } from './observe/live-query-cache';
export { buildLiveQuery, liveQueryKey, type LiveQueryArgs } from './observe/build-live-query';
export { prefetchQueries, HydratedQueries, type DehydratedQueries } from './observe/prefetch-queries';
export type { DataStoreEvent, DataStoreEventName } from './events/datastore-event';
export {
  createDataStore,
  DataStore,
  type DataStoreOptions,
  type KeyInput,
  type QueryOptions,
  type QuerySnapshot,
  type SubscriptionMessage,
} from './datastore/data-store';
export { IndexedDBAdapter, type IndexedDBAdapterOptions } from './storage/indexeddb/indexeddb-adapter';
export { DISCARD, retryLocalFields, type ConflictHandler, type ConflictInput } from './conflict/conflict-handler';
export type { SyncAuth, SyncOptions } from './sync/sync-options';
export type { SyncStatus } from './sync/sync-engine';
export {
  summarizeSyncProgress,
  syncProgressOf,
  type ModelSyncProgress,
  type SyncProgress,
  type SyncProgressState,
  type SyncProgressSummary,
} from './sync/sync-progress';
export { OnlineManager } from './sync/online-manager';
export { backoffDelay } from './sync/backoff';
export { TabCoordinator, type ChannelLike, type LockManagerLike, type TabCoordinatorOptions, type TabMessage } from './tabs/tab-coordinator';
export type { RecordSyncStatus } from './outbox/dead-letter-queue';
