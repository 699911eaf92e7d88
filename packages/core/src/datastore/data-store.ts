import { isAdditiveChange, modelKeyOf, type ModelDefinition, type NormalizedSchema } from '@offgrid/schema';
import { BehaviorSubject, distinctUntilChanged, filter, map, Observable, Subject } from 'rxjs';
import { SchemaMigrationError, StoreStateError, UnknownModelError, ValidationError } from '../errors';
import type { DataStoreEvent } from '../events/datastore-event';
import { ChangeFeed, materializeChanges } from '../observe/change-feed';
import type { LiveQuerySource } from '../observe/live-query-source';
import { buildLiveQuery, type LiveQueryArgs } from '../observe/build-live-query';
import type { LiveQueryOptions, QueryResult } from '../observe/live-query';
import { LiveQueryCache } from '../observe/live-query-cache';
import type { QueryObserver } from '../observe/query-observer';
import { recordStatusStream } from '../observe/record-status-stream';
import { dropDeadLetter, recordSyncStatus, requeueDeadLetter, type RecordSyncStatus } from '../outbox/dead-letter-queue';
import type { OutboxEntry } from '../outbox/outbox-entry';
import { buildPredicate, buildSort } from '../predicates/build-predicate';
import { evaluatePredicate } from '../predicates/evaluate-predicate';
import type { PredicateNode } from '../predicates/predicate-node';
import type { PredicateInput, SortInput } from '../predicates/predicate-types';
import { initSchema, type ModelConstructor, type ModelMap } from '../schema/init-schema';
import { materializeRecord, modelNameOf, setDefaultRelationLoader, type RelationLoader } from '../schema/model-record';
import type { StorageAdapter, StorageWriter, StoredRecord } from '../storage/storage-adapter';
import { assertModelRecord, deleteRecord, emptyWrite, saveRecord, saveRecords, type LocalWrite } from './local-writes';
import { QueryCache, queryCacheKey } from './query-cache';
import { loadRelation, relatedModels } from './relation-access';
import { queryResolved } from './relation-predicates';
import { SyncBridge } from './sync-bridge';
import { ownerOf, UserScope } from './user-scope';
import { Credentials } from '../sync/credentials';
import { SyncEngine, type SyncStatus } from '../sync/sync-engine';
import type { SyncOptions } from '../sync/sync-options';
import { TabCoordinator } from '../tabs/tab-coordinator';
import { TabRelay } from '../tabs/tab-relay';
import type { StoreContext } from './store-context';

/** Options of {@link createDataStore}. */
export interface DataStoreOptions {
  /** The normalized schema (`parseSchema(sdl)` or the module `offgrid codegen` writes). */
  schema: NormalizedSchema;
  /** Where records live: `new MemoryAdapter()`, `new IndexedDBAdapter({ name })`, `createSqliteAdapter(file)`. */
  storage: StorageAdapter;
  /**
   * Called when the stored data was written with a schema this one cannot read (a field removed, a type or
   * key changed) while unsent changes exist. Export or replay `pendingMutations`; when it resolves the local
   * store is reset. Without it, opening fails with a {@link SchemaMigrationError} and nothing is deleted.
   */
  onBreakingSchemaChange?: (info: { reasons: string[]; pendingMutations: OutboxEntry[] }) => Promise<void> | void;
  /** Clock, replaceable in tests. */
  now?: () => Date;
  /**
   * Sync with an Offgrid server. Without it the store is local-only. `auth` takes an API key, a token
   * provider, or both: with both, each model and operation uses the credential its `@auth` rules call for
   * (Amplify's MULTI_AUTH), and a model the caller may not read is reported (`modelSyncRefused`) without
   * holding back the others.
   *
   * @example
   * sync: { url: 'https://sync.example.com/graphql', auth: { apiKey: 'da2-key', token: async () => session?.idToken } }
   */
  sync?: SyncOptions;
  /**
   * Tabs sharing this store: one leads sync (Web Locks), the others follow (BroadcastChannel). By default
   * on for storage every tab of the origin shares (IndexedDB, SQLite on OPFS) where the browser has both
   * APIs; pass `false` to turn it off.
   */
  tabs?: TabCoordinator | false;
  /** Names the store across tabs (default `offgrid`). */
  name?: string;
  /**
   * Answer a query asked again, with no change to the models it reads in between, from memory instead of
   * storage (default true). Any committed change to those models (local, from sync, or relayed from another
   * tab) and `clear()` drop the cached answers, so a query after a write always sees it.
   */
  queryCache?: boolean;
}

/** Query options: Amplify's `sort`, `page` (0-based) and `limit`. */
export interface QueryOptions<T> {
  sort?: SortInput<T>;
  page?: number;
  limit?: number;
}

/** A change message from `observe()`, shaped as Amplify's. */
export interface SubscriptionMessage<T> {
  model: string;
  opType: 'INSERT' | 'UPDATE' | 'DELETE';
  element: T;
}

/** A snapshot from `observeQuery()`. */
export interface QuerySnapshot<T> {
  items: T[];
  isSynced: boolean;
}

type Rec = Record<string, unknown>;
/** Storage adapters (by name) whose data every tab of an origin shares, so their tabs coordinate by default. */
const SHARED_BY_TABS = new Set(['indexeddb', 'sqlite-opfs']);
type ModelArg<T extends object> = ModelConstructor<T> | string;
/** A record's key: the id string, or the key fields of a custom or composite key. */
export type KeyInput = string | Record<string, unknown>;

/**
 * The local-first data store. Every read and write goes to local storage; a local write and its outbox
 * entry commit in one transaction, then live queries update from the change feed.
 *
 * @example
 * const store = createDataStore({ schema, storage: new MemoryAdapter() })
 * const { Todo } = store.models
 * await store.save(new Todo({ title: 'Write docs', done: false }))
 * const open = await store.query(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })
 */
export class DataStore<M extends Record<string, object> = Record<string, Record<string, any>>> implements RelationLoader {
  readonly schema: NormalizedSchema;
  readonly models: ModelMap<M>;
  private readonly storage: StorageAdapter;
  private readonly options: DataStoreOptions;
  private readonly feed = new ChangeFeed();
  private readonly events = new Subject<DataStoreEvent>();
  private readonly syncState = new BehaviorSubject<Record<string, boolean>>({});
  private readonly ctx: StoreContext;
  private readonly queryCache: QueryCache | undefined;
  private opening: Promise<void> | undefined;
  private closed = false;
  private outboxLength = 0;
  /** Dead-lettered entries, tracked so status updates never have to read the whole outbox. */
  private rejectedCount = 0;
  private engine: SyncEngine | undefined;
  private readonly tabs: TabCoordinator | undefined;
  private campaigning = false;
  /** start() asked for sync and stop() has not been called since. */
  private syncWanted = false;
  private relay: TabRelay | undefined;
  private readonly syncStatusSubject = new BehaviorSubject<SyncStatus>({ state: 'stopped', pending: 0, rejected: 0 });
  /** Set when local data is kept to the signed-in user (`sync.userChange: 'clear'` with a token provider). */
  private readonly userScope: UserScope | undefined;

  /** The store's sync state: offline / syncing / synced, and how many changes are pending or rejected. */
  readonly syncStatus$: Observable<SyncStatus> = this.syncStatusSubject.asObservable();

  /** Store events with Amplify's names (`outboxMutationEnqueued`, `outboxStatus`, ...). */
  readonly events$: Observable<DataStoreEvent> = this.events.asObservable();

  /** The running live queries, shared by identical queries (see {@link LiveQueryCache}). */
  readonly liveQueries: LiveQueryCache;

  constructor(options: DataStoreOptions) {
    this.options = options;
    // Dead letters are counted as they happen, so status updates never read the whole outbox.
    this.events.subscribe((e) => {
      if (e.event === 'outboxMutationFailed') this.rejectedCount++;
    });
    this.schema = options.schema;
    this.storage = options.storage;
    // Subscribed first, so cached answers are dropped before any live query or listener reacts to a change.
    this.queryCache = options.queryCache === false ? undefined : new QueryCache();
    if (this.queryCache) {
      const cache = this.queryCache;
      this.feed.batches$.subscribe((batch) => cache.onChanges(batch));
    }
    const sync = options.sync;
    this.userScope =
      sync && sync.auth.token && (sync.userChange ?? 'clear') === 'clear' ? new UserScope(new Credentials(sync.auth), options.storage, () => this.wipe('userChanged')) : undefined;
    this.models = initSchema<M>(options.schema);
    const now = options.now ?? (() => new Date());
    this.tabs =
      options.tabs === false ? undefined : (options.tabs ?? (SHARED_BY_TABS.has(options.storage.name) ? TabCoordinator.fromGlobals(options.name ?? 'offgrid') : undefined));
    this.ctx = {
      schema: this.schema,
      storage: this.storage,
      loader: this,
      model: (name) => this.modelDef(name),
      materialize: (model, stored) => materializeRecord(this.schema, this.modelDef(model), stored, this),
      now,
    };
    this.liveQueries = new LiveQueryCache(this.liveSource);
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Opens local storage (and, once configured, sync). Other calls start the store on their own. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new StoreStateError('This DataStore was closed; create a new one.'));
    this.opening ??= this.open().catch((error) => {
      this.opening = undefined;
      throw error;
    });
    const ready = this.opening.then(() => this.startSync());
    // Only stores kept to one user pay for the check (a token provider call per read and write).
    return this.userScope ? ready.then(() => this.checkUser()) : ready;
  }

  /** Before a read or write: local data in order for the current user first (see `sync.userChange`). */
  private async checkUser(): Promise<void> {
    await this.userScope?.check(async (work) => {
      const engine = this.engine;
      const running = engine?.isRunning ?? false;
      if (running) await engine!.stop();
      try {
        await work();
      } finally {
        if (running && this.syncWanted && !this.closed) engine!.start();
      }
    });
  }

  /** Relays this tab's committed changes to the other tabs and applies theirs to this tab's live queries. */
  private connectTabs(): void {
    if (!this.tabs || this.relay) return;
    this.relay = new TabRelay(this.tabs, {
      feed: this.feed,
      materialize: (model, stored) => this.ctx.materialize(model, stored),
      leaderStatus: () => this.engine?.currentStatus,
      onOutboxNotice: () => {
        if (!this.engine) return;
        void this.recountOutbox().then(() => this.engine?.notifyOutbox());
      },
      onStatus: (status, synced) => {
        this.syncStatusSubject.next(status);
        this.syncState.next(synced);
      },
      synced: () => this.syncState.value,
    });
  }

  private postStatus(status: SyncStatus): void {
    this.relay?.postStatus(status);
  }

  private startSync(): void {
    const sync = this.options.sync;
    if (!sync || this.closed) return;
    if (this.tabs && !this.tabs.isLeader) {
      if (this.campaigning) return;
      this.campaigning = true;
      this.tabs.post({ type: 'hello' });
      this.tabs.campaign(() => {
        if (!this.closed) this.startSync();
      });
      return;
    }
    if (!this.engine) {
      const bridge = new SyncBridge(this.ctx, this.feed, this.events, (delta) => {
        this.outboxLength = Math.max(0, this.outboxLength + delta);
        this.emitOutboxStatus();
      });
      this.engine = new SyncEngine(
        this.schema,
        bridge,
        sync,
        (event) => this.events.next(event),
        (model) => this.syncExpression(model),
        (model, synced) => {
          if (this.syncState.value[model] === synced) return;
          this.syncState.next({ ...this.syncState.value, [model]: synced });
          if (this.engine) this.postStatus(this.engine.currentStatus);
        },
        async () => ({ pending: Math.max(0, this.outboxLength - this.rejectedCount), rejected: this.rejectedCount }),
        this.userScope ? (identity) => this.userScope!.apply(ownerOf(identity)) : undefined,
      );
      this.engine.status$.subscribe((status) => {
        this.syncStatusSubject.next(status);
        this.postStatus(status);
      });
    }
    if (this.engine.isRunning || this.syncWanted) return;
    this.syncWanted = true;
    // Another tab may have led sync until now and sent (or queued) changes this tab never counted.
    const engine = this.engine;
    void this.recountOutbox().finally(() => {
      // stop() or close() may have come first; then sync stays stopped.
      if (this.syncWanted && !this.closed) engine.start();
    });
  }

  private syncExpression(model: string): PredicateNode | undefined {
    const expression = this.options.sync?.syncExpressions?.[model];
    if (!expression) return undefined;
    const input = typeof expression === 'function' && expression.length === 0 ? (expression as () => PredicateInput<Rec> | undefined)() : expression;
    return buildPredicate(this.schema, model, input as PredicateInput<Rec>);
  }

  /**
   * Re-reads the sync expressions and syncs again what they now select; models the server refused to the
   * current credentials (`modelSyncRefused`) are tried again too.
   */
  async resync(): Promise<void> {
    await this.start();
    this.engine?.resync({ retryRefused: true });
  }

  private async open(): Promise<void> {
    const stored = await this.storage.open();
    if (stored && stored.hash !== this.schema.hash) {
      const diff = isAdditiveChange(stored, this.schema);
      if (!diff.additive) {
        const pending = await this.storage.read((tx) => tx.outbox());
        if (pending.length > 0) {
          if (!this.options.onBreakingSchemaChange) throw new SchemaMigrationError(diff.reasons, pending);
          await this.options.onBreakingSchemaChange({ reasons: diff.reasons, pendingMutations: pending });
        }
        await this.storage.reset();
        this.events.next({ event: 'schemaReset', data: { reasons: diff.reasons, discarded: pending } });
      }
    }
    await this.storage.prepare(this.schema);
    await this.recountOutbox();
    setDefaultRelationLoader(this);
    this.connectTabs();
    // Amplify's `ready` means "synced" for a syncing store; the sync engine emits it after its first sync.
    if (!this.options.sync) this.events.next({ event: 'ready', data: {} });
  }

  /** Reads the outbox length and dead-letter count from storage (at open, and when another tab queued changes). */
  private async recountOutbox(): Promise<void> {
    const entries = await this.storage.read((tx) => tx.outbox());
    this.outboxLength = entries.length;
    this.rejectedCount = entries.filter((e) => e.status === 'rejected').length;
  }

  /** Stops sync and waits for in-flight sync work. Local reads and writes keep working; `start()` resumes. */
  async stop(): Promise<void> {
    this.syncWanted = false;
    await this.opening?.catch(() => undefined);
    await this.engine?.stop();
  }

  /**
   * Deletes every local record and the outbox, and reports the unsent changes it discarded (also as a
   * `cleared` event). Live queries become empty.
   */
  async clear(): Promise<{ discarded: OutboxEntry[] }> {
    await this.stop();
    if (!this.opening) await this.open();
    await this.opening;
    return { discarded: await this.wipe('clear') };
  }

  /** Deletes every local record, the outbox and the sync state; live queries become empty. */
  private async wipe(reason: 'clear' | 'userChanged'): Promise<OutboxEntry[]> {
    const discarded = await this.storage.read((tx) => tx.outbox());
    await this.storage.reset();
    await this.storage.prepare(this.schema);
    this.outboxLength = 0;
    this.rejectedCount = 0;
    // The owner record went with the rest: the next check writes it again.
    this.userScope?.forget();
    this.events.next({ event: 'cleared', data: { discarded, reason } });
    this.emitOutboxStatus();
    this.feed.emit({ source: 'reset', changes: [] });
    return discarded;
  }

  /** Stops the store and closes its storage. */
  async close(): Promise<void> {
    await this.stop();
    this.closed = true;
    this.tabs?.dispose();
    await this.opening?.catch(() => undefined);
    await this.storage.close();
    this.feed.complete();
    this.liveQueries.dispose();
    this.events.complete();
  }

  // ---- writes ----------------------------------------------------------------------------------

  /**
   * Saves a record (insert, or update of the fields `copyOf` changed) and queues it for sync, atomically.
   * With a condition, the stored record must match it or nothing is written.
   */
  async save<T extends object>(record: T, condition?: PredicateInput<T>): Promise<T> {
    const [saved] = await this.write(async (tx, out) => {
      const model = assertModelRecord(this.ctx, record, 'save');
      return [[model, await saveRecord(this.ctx, tx, record as Rec, buildPredicate(this.schema, model, condition), out)]];
    });
    return saved as T;
  }

  /** Saves many records in one transaction: all or none. */
  async saveMany<T extends object>(records: readonly T[]): Promise<T[]> {
    const saved = await this.write(async (tx, out) => {
      const stored = await saveRecords(this.ctx, tx, records as readonly Rec[], out);
      return stored.map((s, i) => [modelNameOf(records[i])!, s] as [string, StoredRecord]);
    });
    return saved as T[];
  }

  /** Deletes by key, or every record matching a predicate. */
  delete<T extends object>(model: ModelArg<T>, keyOrPredicate: KeyInput | PredicateInput<T>): Promise<T[]>;
  /** Deletes one record (with an optional condition). Its dependents are deleted too, as in Amplify. */
  delete<T extends object>(record: T, condition?: PredicateInput<T>): Promise<T>;
  async delete<T extends object>(target: T | ModelArg<T>, arg?: unknown): Promise<T | T[]> {
    if (modelNameOf(target)) {
      const model = modelNameOf(target)!;
      const key = modelKeyOf(this.modelDef(model), target as Rec);
      const condition = buildPredicate(this.schema, model, arg as PredicateInput<T>);
      const [deleted] = await this.write(async (tx, out) => {
        const d = await deleteRecord(this.ctx, tx, model, key, condition, out);
        return d ? [[model, d]] : [];
      });
      return (deleted ?? target) as T;
    }
    const model = this.modelName(target as ModelArg<T>);
    const keyed = this.keyArg(model, arg);
    return (await this.write(async (tx, out) => {
      const keys = keyed !== undefined
        ? [keyed]
        : (await queryResolved(this.ctx, tx, model, { predicate: buildPredicate(this.schema, model, arg as PredicateInput<T>) })).map((r) =>
            modelKeyOf(this.modelDef(model), r),
          );
      const deleted: Array<[string, StoredRecord]> = [];
      for (const key of keys) {
        const d = await deleteRecord(this.ctx, tx, model, key, undefined, out);
        if (d) deleted.push([model, d]);
      }
      return deleted;
    })) as T[];
  }

  /**
   * Runs a local write transaction, then announces its changes and outbox entries after commit, and
   * returns the records the body reports as `[model, stored]` pairs, materialized.
   */
  private async write(
    body: (tx: StorageWriter, out: LocalWrite) => Promise<Array<[string, StoredRecord]>>,
  ): Promise<Rec[]> {
    await this.start();
    const out = emptyWrite();
    const stored = await this.storage.write((tx) => body(tx, out));
    const made = new Map<StoredRecord, Rec>();
    const materialize = (model: string, s: StoredRecord) => {
      let r = made.get(s);
      if (!r) {
        r = this.ctx.materialize(model, s);
        // A record the write path made final is its own materialized form; only copies need remembering.
        if (r !== s) made.set(s, r);
      }
      return r;
    };
    const changes = materializeChanges(out.changes, materialize);
    this.outboxLength += out.outboxDelta;
    this.feed.emit({ source: 'local', changes });
    for (const entry of out.enqueued) {
      this.events.next({ event: 'outboxMutationEnqueued', data: { model: entry.model, element: entry.record, operation: entry.operation } });
    }
    if (out.enqueued.length > 0 || out.outboxDelta !== 0) {
      this.emitOutboxStatus();
      this.engine?.notifyOutbox();
      if (!this.engine) this.relay?.postOutboxNotice();
    }
    return stored.map(([model, s]) => materialize(model, s));
  }

  private emitOutboxStatus(): void {
    this.events.next({ event: 'outboxStatus', data: { isEmpty: this.outboxLength === 0, pending: this.outboxLength } });
  }

  // ---- reads -----------------------------------------------------------------------------------

  /** One record by id or key fields; `undefined` when absent. */
  query<T extends object>(model: ModelArg<T>, key: KeyInput): Promise<T | undefined>;
  /** Records matching a predicate (all when omitted), sorted and paged by the storage engine. */
  query<T extends object>(model: ModelArg<T>, predicate?: PredicateInput<T>, options?: QueryOptions<T>): Promise<T[]>;
  async query<T extends object>(target: ModelArg<T>, arg?: unknown, options?: QueryOptions<T>): Promise<T | T[] | undefined> {
    const model = this.modelName(target);
    const key = this.keyArg(model, arg);
    await this.start();
    if (key !== undefined) {
      const stored = await this.storage.read((tx) => tx.get(model, key));
      return stored && (this.ctx.materialize(model, stored) as T);
    }
    const def = this.modelDef(model);
    const { limit, page } = options ?? {};
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new ValidationError(model, undefined, `query limit must be a non-negative integer, got ${limit}`);
    }
    if (page !== undefined && (!Number.isInteger(page) || page < 0 || limit === undefined)) {
      throw new ValidationError(model, undefined, `query page must be a non-negative integer and needs a limit, got page ${page}`);
    }
    const rows = await this.runQuery({
      model,
      predicate: buildPredicate(this.schema, model, arg as PredicateInput<T>),
      sort: buildSort(def, options?.sort),
      ...(limit !== undefined ? { limit } : {}),
      ...(page !== undefined && limit !== undefined ? { offset: page * limit } : {}),
    });
    return rows as T[];
  }

  private async runQuery(options: LiveQueryOptions & { offset?: number }): Promise<Rec[]> {
    await this.start();
    const { model, predicate } = options;
    const query = {
      ...(predicate ? { predicate } : {}),
      ...(options.sort ? { sort: options.sort } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.offset !== undefined ? { offset: options.offset } : {}),
    };
    const read = async () => {
      const rows = await this.storage.read((tx) => queryResolved(this.ctx, tx, model, query));
      return rows.map((r) => this.ctx.materialize(model, r));
    };
    const key = this.queryCache && queryCacheKey(model, query);
    if (!this.queryCache || key === undefined) return read();
    const models = predicate ? relatedModels(this.schema, model, predicate, new Set([model])) : new Set([model]);
    return this.queryCache.get(key, [...models], read);
  }

  /** The unsent changes, oldest first. */
  async pendingMutations(): Promise<OutboxEntry[]> {
    await this.start();
    return this.storage.read((tx) => tx.outbox());
  }

  // ---- live ------------------------------------------------------------------------------------

  /**
   * A live query for bindings: `subscribe(listener)` and `getCurrentResult()`. Identical queries share
   * one running query and one storage read (see {@link LiveQueryCache}). `caller` names the user's call
   * in errors (a binding passes `useQuery`).
   *
   * @example
   * const observer = store.liveQuery(Todo, (p) => p.done.eq(false), { limit: 20 })
   * const stop = observer.subscribe((r) => render(r.items))
   */
  liveQuery<T extends object>(model: ModelArg<T>, predicate?: PredicateInput<T>, options?: LiveQueryArgs<T>): QueryObserver<T> {
    return this.liveQueries.observe<T>(buildLiveQuery(this.schema, model, predicate, options));
  }

  /** Snapshots of a query: the first at once, then one per change that affects it. */
  observeQuery<T extends object>(model: ModelArg<T>, predicate?: PredicateInput<T>, options?: { sort?: SortInput<T>; limit?: number }): Observable<QuerySnapshot<T>> {
    return new Observable<QueryResult<T>>((subscriber) => {
      const observer = this.liveQuery(model, predicate, { ...options, caller: 'observeQuery' });
      const stop = observer.subscribe((r) => subscriber.next(r));
      // A query another observer already runs has its snapshot now; it would otherwise wait for a change.
      subscriber.next(observer.getCurrentResult());
      return stop;
    }).pipe(
      distinctUntilChanged(),
      filter((r) => !r.isLoading),
      map((r) => ({ items: r.items as T[], isSynced: r.isSynced })),
    );
  }

  /** Each committed change to a model (or one record, or records matching a predicate), as Amplify's `observe`. */
  observe<T extends object = Rec>(model?: ModelArg<T>, criteria?: KeyInput | PredicateInput<T>): Observable<SubscriptionMessage<T>> {
    const name = model === undefined ? undefined : this.modelName(model);
    const key = name === undefined ? undefined : this.keyArg(name, criteria);
    const predicate = name !== undefined && key === undefined ? buildPredicate(this.schema, name, criteria as PredicateInput<T>) : undefined;
    return new Observable<SubscriptionMessage<T>>((subscriber) => {
      void this.start().catch((e) => subscriber.error(e));
      const sub = this.feed.batches$.subscribe((batch) => {
        for (const c of batch.changes) {
          if (name !== undefined && c.model !== name) continue;
          if (key !== undefined && c.key !== key) continue;
          const element = (c.record ?? c.previous)!;
          if (predicate && !evaluatePredicate(predicate, element)) continue;
          subscriber.next({ model: c.model, opType: c.type === 'insert' ? 'INSERT' : c.type === 'update' ? 'UPDATE' : 'DELETE', element: element as T });
        }
      });
      return () => sub.unsubscribe();
    });
  }

  private readonly liveSource: LiveQuerySource = {
    changes$: this.feed.batches$,
    syncStateChanged$: this.syncState.asObservable(),
    runQuery: (options) => this.runQuery(options),
    keyOf: (model, record) => modelKeyOf(this.modelDef(model), record),
    isSynced: (model) => this.isSynced(model),
    affects: (options, model) => options.predicate !== undefined && relatedModels(this.schema, options.model, options.predicate).has(model),
    materialize: (model, fields) => this.ctx.materialize(model, fields),
  };

  /** Whether a model's local records are synced with the server. Always true for a local-only store. */
  isSynced(model: string): boolean {
    return this.syncState.value[model] ?? !this.options.sync;
  }

  // ---- dead letters and record status ------------------------------------------------------------

  /** Changes the server refused (not conflicts): they wait here for `retryDeadLetter` or `discardDeadLetter`. */
  async deadLetters(): Promise<OutboxEntry[]> {
    return (await this.pendingMutations()).filter((e) => e.status === 'rejected');
  }

  /** Sends a dead-lettered change again (after fixing what the server refused, e.g. permissions). */
  async retryDeadLetter(entry: OutboxEntry | number): Promise<void> {
    await requeueDeadLetter(this.storage, typeof entry === 'number' ? entry : entry.seq);
    this.rejectedCount = Math.max(0, this.rejectedCount - 1);
    this.engine?.notifyOutbox();
  }

  /** Drops a dead-lettered change for good; the next sync brings the server's copy of the record back. */
  async discardDeadLetter(entry: OutboxEntry | number): Promise<void> {
    await dropDeadLetter(this.storage, typeof entry === 'number' ? entry : entry.seq);
    this.outboxLength = Math.max(0, this.outboxLength - 1);
    this.rejectedCount = Math.max(0, this.rejectedCount - 1);
    this.emitOutboxStatus();
    this.engine?.resync();
  }

  /**
   * One record's sync state as a stream (what bindings show per row): the current value, then each change.
   *
   * @example
   * store.recordStatus$(todo).subscribe(({ status }) => row.classList.toggle('pending', status === 'pending'))
   */
  recordStatus$(record: object): Observable<RecordSyncStatus> {
    const model = assertModelRecord(this.ctx, record, 'recordStatus$');
    return recordStatusStream(
      { schema: this.schema, events$: this.events$, syncStatus$: this.syncStatus$, read: () => this.recordStatus(record) },
      model,
      record as Rec,
    );
  }

  /**
   * One record's sync state: `synced`, `pending` (a change waits to be sent), `conflicted` (a change met a
   * conflict and is being retried) or `rejected` (dead-lettered, with the server's reason).
   */
  async recordStatus(record: object): Promise<RecordSyncStatus> {
    const model = assertModelRecord(this.ctx, record, 'recordStatus');
    await this.start();
    return recordSyncStatus(this.storage, model, modelKeyOf(this.modelDef(model), record as Rec));
  }

  /** @internal Loads a relation field of a record (the record's accessors call this). */
  loadRelation(modelName: string, field: string, record: Rec): unknown {
    return loadRelation(
      { schema: this.schema, byKey: (model, key) => this.query(model, key), byQuery: (options) => this.runQuery(options) },
      modelName,
      field,
      record,
    );
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private modelDef(name: string): ModelDefinition {
    const def = this.schema.models[name];
    if (!def) throw new UnknownModelError(name, Object.keys(this.schema.models));
    return def;
  }

  private modelName(model: ModelArg<any>): string {
    const name = typeof model === 'string' ? model : (model as { modelName?: string })?.modelName;
    if (typeof name !== 'string') throw new UnknownModelError(String(name ?? model), Object.keys(this.schema.models));
    this.modelDef(name);
    return name;
  }

  /** A key argument (id string or key-field object) as a record key, or undefined for a predicate. */
  private keyArg(model: string, arg: unknown): string | undefined {
    const def = this.modelDef(model);
    if (typeof arg === 'string') {
      if (def.primaryKey.length > 1) {
        throw new ValidationError(model, def.primaryKey[0], `has a composite key; pass { ${def.primaryKey.join(', ')} } instead of a string`);
      }
      return modelKeyOf(def, { [def.primaryKey[0]!]: arg });
    }
    if (arg && typeof arg === 'object' && !('type' in arg) && !('all' in arg) && !modelNameOf(arg)) {
      return modelKeyOf(def, arg as Rec);
    }
    return undefined;
  }
}

/**
 * Creates a local-first data store over a storage adapter.
 *
 * @example
 * const store = createDataStore({ schema: parseSchema(sdl), storage: new MemoryAdapter() })
 */
export function createDataStore<M extends Record<string, object> = Record<string, Record<string, any>>>(options: DataStoreOptions): DataStore<M> {
  return new DataStore<M>(options);
}

