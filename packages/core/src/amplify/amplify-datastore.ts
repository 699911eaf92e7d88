import { apiNames, MANAGED_FIELDS, type NormalizedSchema } from '@offgrid/schema';
import { map, type Observable } from 'rxjs';
import { createDataStore, type DataStore as OffgridDataStore, type KeyInput, type QueryOptions } from '../datastore/data-store';
import { StoreStateError } from '../errors';
import type { DataStoreEvent } from '../events/datastore-event';
import type { OutboxEntry } from '../outbox/outbox-entry';
import type { PredicateInput } from '../predicates/predicate-types';
import { initSchema, type ModelConstructor, type ModelMap } from '../schema/init-schema';
import { materializeRecord, modelNameOf } from '../schema/model-record';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import { amplifyConflictHandler } from './amplify-conflict';
import { AmplifyHubTranslator, assertDatastoreChannel, HubListeners } from './amplify-hub';
import { syncErrorOf } from './amplify-sync-error';
import { nonModelClasses } from './non-model-classes';
import type { AmplifyConfig, DataStoreSnapshot, HubCallback, SubscriptionMessage, SyncExpression } from './amplify-types';

/** Amplify's `syncExpression(Model, () => predicate)`. */
export function syncExpression<T extends object>(model: ModelConstructor<T>, predicate: () => PredicateInput<T> | undefined): SyncExpression {
  return { model: model.modelName, predicate: predicate as SyncExpression['predicate'] };
}

/**
 * Amplify DataStore's call shapes over an Offgrid store, so an Amplify app ports by changing imports and
 * configuration: `initSchema` first, then `DataStore.configure({...})` and the familiar calls. Callbacks and
 * Hub payloads are Amplify's: the conflict handler gets `{ modelConstructor, localModel, remoteModel,
 * operation, attempts }`, the error handler a `SyncError`, Hub events carry model classes.
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
  /** The app's model classes (from `initSchema`), so callbacks and events hand back the very same objects. */
  private readonly constructors = new Map<string, ModelConstructor<any>>();
  private readonly hub = new HubListeners();
  /** Local changes not yet accepted by the server (dead letters included, as Amplify's outbox holds them). */
  private pending = 0;
  private readonly translator = new AmplifyHubTranslator({
    constructorOf: (model) => this.constructors.get(model),
    record: (model, fields) => this.record(model, fields),
    outboxIsEmpty: () => this.pending === 0,
  });

  /** @internal called by `initSchema`. */
  useSchema(schema: NormalizedSchema, models: Record<string, ModelConstructor<any>>): void {
    if (this.store && this.schema && this.schema.hash !== schema.hash) {
      throw new StoreStateError('initSchema() was called with a different schema while DataStore runs; call DataStore.clear() first.');
    }
    this.schema = schema;
    for (const [name, ctor] of Object.entries(models)) this.constructors.set(name, ctor);
  }

  configure(config: AmplifyConfig = {}): void {
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
      storage: c.storageAdapter ?? c.storage ?? new MemoryAdapter(),
      ...(c.sync
        ? {
            sync: {
              url: c.sync.url,
              auth: c.sync.auth,
              ...(c.sync.webSocketImpl ? { webSocketImpl: c.sync.webSocketImpl } : {}),
              ...(c.conflictHandler ? { conflictHandler: amplifyConflictHandler(c.conflictHandler, (m) => this.constructors.get(m)) } : {}),
              ...(c.syncPageSize ? { pageSize: c.syncPageSize } : {}),
              ...(c.maxRecordsToSync ? { maxRecordsToSync: c.maxRecordsToSync } : {}),
              ...(c.fullSyncInterval ? { fullSyncInterval: c.fullSyncInterval * 60_000 } : {}),
              syncExpressions: Object.fromEntries(Object.entries(expressions).map(([m, fn]) => [m, () => fn()])),
            },
          }
        : {}),
    });
    this.translator.reset();
    store.syncStatus$.subscribe((status) => {
      this.pending = status.pending + status.rejected;
    });
    store.events$.subscribe((event) => this.onEvent(event));
    this.store = store;
    return store;
  }

  /** A record of the running store made from stored or server fields (relations load from the store). */
  private record(model: string, fields: Record<string, unknown>): Record<string, unknown> {
    const def = this.schema?.models[model];
    if (!def || !this.schema) return fields;
    const known: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) if (MANAGED_FIELDS.has(k) || (def.fields[k] && !def.fields[k]!.relation)) known[k] = v;
    return materializeRecord(this.schema, def, known, this.store);
  }

  private onEvent(event: DataStoreEvent): void {
    const error = this.config.errorHandler
      ? syncErrorOf(
          event,
          (m, f) => this.record(m, f),
          (m) => apiNames(this.schema!.models[m]!).sync,
        )
      : undefined;
    if (error) {
      try {
        this.config.errorHandler!(error);
      } catch {
        // Amplify logs and carries on when the app's error handler throws; so does Offgrid.
      }
    }
    for (const payload of this.translator.translate(event)) this.hub.dispatch(payload);
  }

  /** @internal Hub.listen('datastore', ...) */
  listen(callback: HubCallback): () => void {
    return this.hub.add(callback);
  }

  start(): Promise<void> {
    return this.instance.start();
  }

  stop(): Promise<void> {
    this.translator.reset();
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

  /** Every change to every model. */
  observe(): Observable<SubscriptionMessage<Record<string, any>>>;
  /** Changes to one model, or to the record with this id, or to records matching a predicate. */
  observe<T extends object>(model: ModelConstructor<T>, criteria?: KeyInput | PredicateInput<T>): Observable<SubscriptionMessage<T>>;
  /** Changes to this one record (Amplify's `DataStore.observe(post)`). */
  observe<T extends object>(record: T): Observable<SubscriptionMessage<T>>;
  observe<T extends object>(target?: ModelConstructor<T> | T, criteria?: KeyInput | PredicateInput<T>): Observable<SubscriptionMessage<T>> {
    const store = this.instance;
    const recordModel = target !== undefined && typeof target !== 'function' ? modelNameOf(target) : undefined;
    let source: Observable<{ model: string; opType: SubscriptionMessage<T>['opType']; element: T }>;
    if (recordModel !== undefined) {
      // The record's key, whatever the model's key fields are.
      const def = this.schema!.models[recordModel]!;
      const key = Object.fromEntries(def.primaryKey.map((k) => [k, (target as Record<string, unknown>)[k]]));
      source = store.observe<T>(recordModel, key);
    } else {
      source = store.observe<T>(target as ModelConstructor<T> | undefined, criteria);
    }
    return source.pipe(map((m) => ({ model: this.constructors.get(m.model) ?? (m.model as never), opType: m.opType, element: m.element })));
  }

  observeQuery<T extends object>(model: ModelConstructor<T>, predicate?: PredicateInput<T>, options?: { sort?: QueryOptions<T>['sort']; limit?: number }): Observable<DataStoreSnapshot<T>> {
    return this.instance.observeQuery(model, predicate, options);
  }
}

/** The DataStore singleton, as Amplify apps import it. */
export const DataStore = new AmplifyDataStore();

/** Amplify's Hub, for the `datastore` channel. */
export const Hub = {
  /**
   * Listens to DataStore's events; returns the function that stops listening.
   *
   * @example
   * const stop = Hub.listen('datastore', ({ payload: { event, data } }) => { if (event === 'ready') show() })
   */
  listen(channel: 'datastore', callback: HubCallback): () => void {
    assertDatastoreChannel(channel);
    return DataStore.listen(callback);
  },
};

/**
 * Amplify's `initSchema`: the model constructors of a schema, registered with the DataStore singleton, and
 * (as Amplify's generated `index.js` does) each enum as an object of its values and each custom type as a class.
 *
 * @example
 * const { Post, PostStatus } = initSchema(schema)
 */
export function initAmplifySchema<M extends Record<string, object> = Record<string, Record<string, any>>>(
  schema: NormalizedSchema,
): ModelMap<M> & Record<string, any> {
  const models = initSchema<M>(schema);
  DataStore.useSchema(schema, models as Record<string, ModelConstructor<any>>);
  const enums = Object.fromEntries(Object.values(schema.enums).map((e) => [e.name, Object.freeze(Object.fromEntries(e.values.map((v) => [v, v])))]));
  return { ...enums, ...nonModelClasses(schema), ...models } as ModelMap<M> & Record<string, any>;
}
