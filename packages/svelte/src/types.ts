import type { DataStore, ModelConstructor, PredicateInput, SortInput } from '@offgrid/core';

/** Any typed or untyped store; the model argument, not the store, carries the record type. */
export type AnyDataStore = DataStore<any>;

/** What `queryStore` and `createQuery` hold: the records, and where the query stands. */
export interface QueryState<T> {
  data: readonly T[];
  /** True once the model is synced with the server (always true for a local-only store). */
  isSynced: boolean;
  /** True until the first snapshot is read. */
  isLoading: boolean;
  error: Error | undefined;
}

/** What `itemStore` holds: one record, or `undefined` while loading or when absent. */
export interface ItemState<T> {
  data: T | undefined;
  isSynced: boolean;
  isLoading: boolean;
  error: Error | undefined;
}

/** Sort and limit of a live query. */
export interface LiveQueryOptions<T> {
  sort?: SortInput<T>;
  limit?: number;
}

/** A live query's inputs, as `createQuery` reads them. */
export interface QueryInput<T extends object> {
  model: ModelConstructor<T>;
  predicate?: PredicateInput<T>;
  options?: LiveQueryOptions<T>;
}
