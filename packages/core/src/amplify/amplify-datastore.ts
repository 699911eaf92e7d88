import type { NormalizedSchema } from '@offgrid/schema';
import type { Observable } from 'rxjs';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import type { ConflictHandler } from '../conflict/conflict-handler';
import { createDataStore, type DataStore as OffgridDataStore, type KeyInput, type QueryOptions, type QuerySnapshot, type SubscriptionMessage } from '../datastore/data-store';
import { StoreStateError } from '../errors';
import type { DataStoreEvent } from '../events/datastore-event';
import type { OutboxEntry } from '../outbox/outbox-entry';
import type { PredicateInput } from '../predicates/predicate-types';
import { initSchema, type ModelConstructor, type ModelMap } from '../schema/init-schema';
import type { StorageAdapter } from '../storage/storage-adapter';
import type { SyncAuth } from '../sync/sync-options';

/** A sync expression as Amplify writes it: `syncExpression(Post, () => (p) => p.rating.gt(4))`. */
export interface SyncExpression {
  model: string;
  predicate: () => PredicateInput<any> | undefined;
}

/**
 * `DataStore.configure` options with Amplify's names, plus where to sync (Offgrid needs no AWS config).
 */
export interface AmplifyConfig {
  conflictHandler?: ConflictHandler;
  /** Called for each change the server refuses (Amplify's errorHandler); the change also stays in the dead-letter queue. */
  errorHandler?: (error: { message: string; errorType: string; model: string; localModel: Record<string, unknown>; operation: string }) => void;
  syncExpressions?: SyncExpression[];
  syncPageSize?: number;
  maxRecordsToSync?: number;
  /** Minutes, as in Amplify. */
  fullSyncInterval?: number;
  /** Offgrid: the sync server and credentials. Without it the store is local-only. */
  sync?: { url: string; auth: SyncAuth; webSocketImpl?: unknown };
  /** Offgrid: where records live (default memory; IndexedDBAdapter in browsers). */
  storage?: StorageAdapter;
}

/** Amplify's `syncExpression(Model, () => predicate)`. */
export function syncExpression<T extends object>(model: ModelConstructor<T>, predicate: () => PredicateInput<T> | undefined): SyncExpression {
  return { model: model.modelName, predicate: predicate as SyncExpression['predicate'] };
}

type HubCallback = (capsule: { channel: 'datastore'; payload: { event: string; data?: unknown } }) => void;

/**
 * Amplify DataStore's call shapes over an Offgrid store, so an Amplify app ports by changing imports and
 * configuration: `initSchema` first, then `DataStore.configure({...})` and the familiar calls.
 *
 * @example
 * import { DataStore, Hub, initSchema, Predicates, SortDirection } from '@offgrid/core/amplify'
 * const { Post } = initSchema(schema)
 * DataStore.configure({ sync: { url, auth: { apiKey } } })
 * await DataStore.save(new Post({ title: 'Hello' }))
 */
export class AmplifyDataStore {
  private schema: NormalizedSchema | undefined;
  private config: AmplifyConfig = {};
  private store: OffgridDataStore | undefined;
  private readonly hubListeners = new Set<HubCallback>();

  /** @internal called by `initSchema`. */
  useSchema(schema: NormalizedSchema): void {
    if (this.store && this.schema && this.schema.hash !== schema.hash) {
      throw new StoreStateError('initSchema() was called with a different schema while DataStore runs; call DataStore.clear() first.');
    }
    this.schema = schema;
  }

  configure(config: AmplifyConfig): void {
    if (this.store) throw new StoreStateError('DataStore.configure() must be called before the first DataStore call (or after clear()).');
    this.config = { ...this.config, ...config };
  }

  private get instance(): OffgridDataStore {
    if (this.store) return this.store;
    if (!this.schema) throw new StoreStateError('Call initSchema(schema) before using DataStore.');
    const c = this.config;
    const expressions: Record<string, () => PredicateInput<any> | undefined> = {};
    for (const e of c.syncExpressions ?? []) expressions[e.model] = e.predicate;
    const store = createDataStore({
      schema: this.schema,
      storage: c.storage ?? new MemoryAdapter(),
      ...(c.sync
        ? {
            sync: {
              url: c.sync.url,
              auth: c.sync.auth,
              ...(c.sync.webSocketImpl ? { webSocketImpl: c.sync.webSocketImpl } : {}),
              ...(c.conflictHandler ? { conflictHandler: c.conflictHandler } : {}),
              ...(c.syncPageSize ? { pageSize: c.syncPageSize } : {}),
              ...(c.maxRecordsToSync ? { maxRecordsToSync: c.maxRecordsToSync } : {}),
              ...(c.fullSyncInterval ? { fullSyncInterval: c.fullSyncInterval * 60_000 } : {}),
              syncExpressions: Object.fromEntries(Object.entries(expressions).map(([m, fn]) => [m, () => fn()])),
            },
          }
        : {}),
    });
    store.events$.subscribe((event) => this.toHub(event));
    this.store = store;
    return store;
  }

  private toHub(event: DataStoreEvent): void {
    if (event.event === 'outboxMutationFailed' && this.config.errorHandler) {
      this.config.errorHandler({
        message: event.data.error.message,
        errorType: event.data.error.errorType,
        model: event.data.model,
        localModel: event.data.element,
        operation: event.data.operation,
      });
    }
    for (const listener of [...this.hubListeners]) listener({ channel: 'datastore', payload: { event: event.event, data: event.data } });
  }

  /** @internal Hub.listen('datastore', ...) */
  listen(callback: HubCallback): () => void {
    this.hubListeners.add(callback);
    return () => this.hubListeners.delete(callback);
  }

  start(): Promise<void> {
    return this.instance.start();
  }
  stop(): Promise<void> {
    return this.store?.stop() ?? Promise.resolve();
  }
  /** Clears local data and stops sync; reports (as a `cleared` Hub event) the unsent changes it discarded. */
  async clear(): Promise<{ discarded: OutboxEntry[] }> {
    if (!this.store) return { discarded: [] };
    const result = await this.store.clear();
    await this.store.close();
    this.store = undefined;
    return result;
  }
  save<T extends object>(record: T, condition?: PredicateInput<T>): Promise<T> {
    return this.instance.save(record, condition);
  }
  query<T extends object>(model: ModelConstructor<T>, key: KeyInput): Promise<T | undefined>;
  query<T extends object>(model: ModelConstructor<T>, predicate?: PredicateInput<T>, options?: QueryOptions<T>): Promise<T[]>;
  query<T extends object>(model: ModelConstructor<T>, arg?: unknown, options?: QueryOptions<T>): Promise<T | T[] | undefined> {
    return this.instance.query(model, arg as PredicateInput<T>, options);
  }
  delete<T extends object>(model: ModelConstructor<T>, keyOrPredicate: KeyInput | PredicateInput<T>): Promise<T[]>;
  delete<T extends object>(record: T, condition?: PredicateInput<T>): Promise<T>;
  delete(target: object, arg?: unknown): Promise<unknown> {
    return this.instance.delete(target as never, arg as never);
  }
  observe<T extends object>(model?: ModelConstructor<T>, criteria?: KeyInput | PredicateInput<T>): Observable<SubscriptionMessage<T>> {
    return this.instance.observe(model, criteria);
  }
  observeQuery<T extends object>(model: ModelConstructor<T>, predicate?: PredicateInput<T>, options?: { sort?: QueryOptions<T>['sort']; limit?: number }): Observable<QuerySnapshot<T>> {
    return this.instance.observeQuery(model, predicate, options);
  }
}

/** The DataStore singleton, as Amplify apps import it. */
export const DataStore = new AmplifyDataStore();

/** Amplify's Hub, for the `datastore` channel. */
export const Hub = {
  listen(channel: 'datastore', callback: HubCallback): () => void {
    if (channel !== 'datastore') throw new StoreStateError(`Only the "datastore" Hub channel exists in Offgrid (got "${String(channel)}").`);
    return DataStore.listen(callback);
  },
};

/**
 * Amplify's `initSchema`: the model constructors of a schema, registered with the DataStore singleton, and
 * (as Amplify's generated `index.js` does) each enum as an object of its values.
 */
export function initAmplifySchema<M extends Record<string, object> = Record<string, Record<string, any>>>(
  schema: NormalizedSchema,
): ModelMap<M> & Record<string, any> {
  DataStore.useSchema(schema);
  const enums = Object.fromEntries(Object.values(schema.enums).map((e) => [e.name, Object.freeze(Object.fromEntries(e.values.map((v) => [v, v])))]));
  return { ...enums, ...initSchema<M>(schema) } as ModelMap<M> & Record<string, any>;
}

