import type { DataStore, KeyInput, ModelConstructor, PredicateInput, QuerySnapshot, SortInput, SyncStatus } from '@offgrid/core';
import { map, type Observable } from 'rxjs';
import { keyPredicate } from './key-predicate';

/**
 * The store as an injectable service, with observables for those who prefer RxJS to signals. It is
 * registered by `provideDataStore`, so `inject(DataStoreService)` works wherever the store is provided.
 *
 * @example
 * const todos$ = inject(DataStoreService).query$(Todo, (p) => p.done.eq(false))
 */
export class DataStoreService<M extends Record<string, object> = Record<string, Record<string, any>>> {
  /** The store's sync state: `{ state, pending, rejected, error? }`, the current value at once. */
  readonly syncStatus$: Observable<SyncStatus>;
  /** Store events (`outboxStatus`, `conflict`, `modelSynced`, ...). */
  readonly events$: DataStore<M>['events$'];

  constructor(readonly store: DataStore<M>) {
    this.syncStatus$ = store.syncStatus$;
    this.events$ = store.events$;
  }

  /** The models of the store's schema, by name. */
  get models(): DataStore<M>['models'] {
    return this.store.models;
  }

  /** Snapshots of a live query: the first once it is read, then one per change that affects it. */
  query$<T extends object>(
    model: ModelConstructor<T> | string,
    predicate?: PredicateInput<T>,
    options?: { sort?: SortInput<T>; limit?: number },
  ): Observable<QuerySnapshot<T>> {
    return this.store.observeQuery(model, predicate, options);
  }

  /** One record by id or key fields, live; `undefined` while absent. */
  item$<T extends object>(model: ModelConstructor<T> | string, key: KeyInput): Observable<T | undefined> {
    const def = typeof model === 'string' ? this.store.schema.models[model] : model.definition;
    return this.store.observeQuery<T>(model, def ? keyPredicate(def.primaryKey, key) : undefined).pipe(map((s) => s.items[0]));
  }
}
