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

/** When reading the result throws its error, for a `<svelte:boundary>` (TanStack Query's `throwOnError`). */
export type ThrowOnError = boolean | ((error: Error) => boolean);

/** Options of `createQuery`: sort, limit, and whether its error is thrown when the result is read. */
export interface CreateQueryOptions<T> extends LiveQueryOptions<T> {
  /** `true` (or a function returning `true` for an error) makes reading `data`, `isLoading` or `isSynced` throw the error. Default: only `error` is set. */
  throwOnError?: ThrowOnError;
}

/** A live query's inputs, as `createQuery` reads them. */
export interface QueryInput<T extends object> {
  model: ModelConstructor<T>;
  predicate?: PredicateInput<T>;
  options?: CreateQueryOptions<T>;
}
