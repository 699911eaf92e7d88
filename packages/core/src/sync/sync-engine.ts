import type { NormalizedSchema } from '@offgrid/schema';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { SyncBridge } from '../datastore/sync-bridge';
import type { DataStoreEvent } from '../events/datastore-event';
import { OutboxProcessor } from '../outbox/outbox-processor';
import { evaluatePredicate } from '../predicates/evaluate-predicate';
import type { PredicateNode } from '../predicates/predicate-node';
import { ModelSyncRefusedError } from '../errors';
import { authProvidersFor, type AuthOperation, type AuthProvider } from './auth-providers';
import { backoffDelay } from './backoff';
import { Credentials, IdentityChangedError, type CredentialSnapshot } from './credentials';
import { GraphQLClient } from './graphql-client';
import { modelDocuments, syncOrder } from './graphql-documents';
import { syncModel } from './model-sync';
import { refusalOf, toSyncError } from './sync-error';
import { OnlineManager } from './online-manager';
import type { SyncOptions } from './sync-options';
import type { ModelSyncProgress, SyncProgress } from './sync-progress';

/** The store's sync state as bindings show it. */
export interface SyncStatus {
  state: 'stopped' | 'offline' | 'syncing' | 'synced';
  /** Changes waiting to reach the server (dead-lettered ones excluded). */
  pending: number;
  /** Changes the server refused (the dead-letter queue). */
  rejected: number;
  /** The last error, if the engine is retrying. */
  error?: string;
  /**
   * Models the server refused to sync to the current credentials, with its reason (an API key on an
   * owner-only model, a user outside a group-only model). The other models sync; these are retried when
   * the credentials change or on `resync()`.
   */
  refused?: Record<string, string>;
  /**
   * Per model, the progress of the current sync, or of the last one once it finished: records received,
   * records applied, and the total when the server can tell it (see {@link ModelSyncProgress}). Set when a
   * sync starts, with every model that will sync (waiting ones at 0); each sync starts it over. Absent
   * before the first sync.
   */
  progress?: SyncProgress;
}

type Rec = Record<string, unknown>;

/** Resolves when woken or after `ms`, whichever is first. */
class Waker {
  private resolve: (() => void) | undefined;
  private pending = false;
  wake(): void {
    this.pending = true;
    this.resolve?.();
  }
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((r) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.resolve = undefined;
        self.pending = false;
        r();
      }
      this.resolve = done;
    });
  }
}

/**
 * The sync loop: subscribe (buffering), sync every model parents first (full the first time, then delta),
 * apply what was buffered, then keep the outbox drained and apply live changes. Any failure takes it
 * offline and it retries with jittered backoff; the network coming back, a reconnected socket or a new
 * local change wake it at once.
 */
export class SyncEngine {
  private readonly client: GraphQLClient;
  private readonly credentials: Credentials;
  /** The credentials the current sockets and syncs were made with. */
  private identity: CredentialSnapshot | undefined;
  /** Models the server refused to the current credentials; skipped until they change or `resync()`. */
  private readonly refused = new Map<string, ModelSyncRefusedError>();
  /** The credential each model last synced with: its subscriptions use the same. */
  private readonly readProvider = new Map<string, AuthProvider>();
  /** The given online manager, or one of the engine's own made at `start()` (listening to the browser). */
  private online: OnlineManager;
  private readonly ownsOnline: boolean;
  private readonly processor: OutboxProcessor;
  private readonly waker = new Waker();
  private readonly status = new BehaviorSubject<SyncStatus>({ state: 'stopped', pending: 0, rejected: 0 });
  readonly status$: Observable<SyncStatus> = this.status.asObservable();
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private stopped = true;
  private needsSync = true;
  private buffering = true;
  private buffer: Array<{ model: string; item: Rec }> = [];
  private applying: Promise<unknown> = Promise.resolve();
  /** Per model: the credential its subscriptions use and how to end them. */
  private readonly subscriptions = new Map<string, { provider: AuthProvider; unsubscribe: Array<() => void> }>();
  /** A subscription ended with an error (a fatal close, a refusal): resubscribe from scratch. */
  private subscriptionsBroken = false;
  /** Sockets (one per credential in use) that are connected. */
  private readonly socketsUp = new Set<AuthProvider>();
  private readyEmitted = false;
  private onlineSub: { unsubscribe(): void } | undefined;

  constructor(
    private readonly schema: NormalizedSchema,
    private readonly bridge: SyncBridge,
    private readonly options: SyncOptions,
    private readonly emit: (event: DataStoreEvent) => void,
    private readonly resolveExpression: (model: string) => PredicateNode | undefined,
    private readonly setSynced: (model: string, synced: boolean) => void,
    private readonly counts: () => Promise<{ pending: number; rejected: number }>,
    /**
     * Called with the credentials before anything is synced or sent under them (at the first loop and
     * whenever the caller changes), at a point where no request is in flight: the store puts its local
     * data in order for this caller first (see `sync.userChange`).
     */
    private readonly onIdentity?: (identity: CredentialSnapshot) => Promise<void>,
  ) {
    this.credentials = new Credentials(options.auth);
    this.client = new GraphQLClient(options.url, this.credentials, options.fetch, options.webSocketImpl);
    if (options.keepAliveMs !== undefined) this.client.keepAliveMs = options.keepAliveMs;
    this.ownsOnline = !options.onlineManager;
    // Without a target: listening to the browser starts with `start()` (see there).
    this.online = options.onlineManager ?? new OnlineManager(undefined);
    this.processor = new OutboxProcessor(schema, this.client, bridge, emit, {
      batchSize: options.pushBatchSize ?? 100,
      maxConflictAttempts: options.maxConflictAttempts ?? 5,
      providerFor: (entry) => this.providersFor(entry.model, entry.operation)[0],
      ...(options.conflictHandler ? { conflictHandler: options.conflictHandler } : {}),
    });
  }

  /** True between start() and stop(). */
  get isRunning(): boolean {
    return !this.stopped;
  }

  get currentStatus(): SyncStatus {
    return this.status.value;
  }

  /** Starts the loop (idempotent). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.needsSync = true;
    // stop() disposed the previous one (its browser listeners); a restarted engine needs a live one.
    if (this.ownsOnline) this.online = new OnlineManager();
    this.onlineSub = this.online.online$.subscribe((up) => {
      this.emit({ event: 'networkStatus', data: { active: up } });
      if (up) {
        this.needsSync = true;
        this.client.reconnectNow();
        this.waker.wake();
      } else {
        // Hold live changes while offline; the delta sync on return decides, then they are applied.
        this.buffering = true;
        this.abort?.abort();
        for (const m of Object.keys(this.schema.models)) this.setSynced(m, false);
        this.setState('offline');
      }
    });
    this.running = this.loop();
  }

  /** Stops the loop and waits until no sync or push is in flight. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort?.abort();
    this.waker.wake();
    this.onlineSub?.unsubscribe();
    this.unsubscribeAll();
    await this.running?.catch(() => undefined);
    await this.applying.catch(() => undefined);
    await this.client.close();
    this.socketsUp.clear();
    for (const m of Object.keys(this.schema.models)) this.setSynced(m, false);
    if (this.ownsOnline) this.online.dispose();
    this.setState('stopped');
  }

  /** A local change was queued: push soon. */
  notifyOutbox(): void {
    void this.refreshCounts();
    this.waker.wake();
  }

  /** Sync expressions changed (or the app asks): run the syncs again; with `retryRefused`, refused models too. */
  resync(options: { retryRefused?: boolean } = {}): void {
    if (options.retryRefused) this.clearRefused();
    this.needsSync = true;
    this.waker.wake();
  }

  private setState(state: SyncStatus['state'], error?: string): void {
    const { error: _previous, ...rest } = this.status.value;
    this.status.next({ ...rest, state, ...(error ? { error } : {}) });
  }

  /** Replaces the progress of a sync (all models), or of one model. */
  private setProgress(progress: SyncProgress): void {
    this.status.next({ ...this.status.value, progress });
  }

  private reportProgress(model: string, progress: ModelSyncProgress): void {
    this.setProgress({ ...this.status.value.progress, [model]: progress });
    this.emit({ event: 'syncProgress', data: { model, ...progress } });
  }

  /** The credentials to try for `operation` on `model`, best first (multi-auth: from its `@auth` rules). */
  private providersFor(model: string, operation: AuthOperation): AuthProvider[] {
    const identity = this.identity;
    const def = this.schema.models[model];
    if (!identity || !def) return [];
    const chosen = authProvidersFor(def, operation, { apiKey: identity.apiKey !== undefined, signedIn: identity.token !== undefined });
    return chosen.length > 0 ? chosen : [Credentials.defaultProvider(identity)];
  }

  /** The server refused `model` to these credentials: report it once, stop its subscriptions, sync the rest. */
  private refuse(model: string, error: ModelSyncRefusedError): void {
    if (this.refused.has(model)) return;
    this.refused.set(model, error);
    const { [model]: _refused, ...progress } = this.status.value.progress ?? {};
    if (this.status.value.progress) this.setProgress(progress);
    this.unsubscribeModel(model);
    this.setSynced(model, false);
    this.publishRefused();
    this.emit({ event: 'modelSyncRefused', data: { model, message: error.message, error } });
  }

  private clearRefused(): void {
    if (this.refused.size === 0) return;
    this.refused.clear();
    this.publishRefused();
  }

  private publishRefused(): void {
    const { refused: _old, ...rest } = this.status.value;
    const refused = Object.fromEntries([...this.refused].map(([model, error]) => [model, error.message]));
    this.status.next({ ...rest, ...(this.refused.size > 0 ? { refused } : {}) });
  }

  /**
   * The caller changed (another token subject, a sign-in or sign-out, another key): what was refused may
   * now be allowed, and the sockets carry the old identity, so start over with the new one.
   */
  private async onIdentityChanged(): Promise<void> {
    this.clearRefused();
    this.readProvider.clear();
    await this.resetSubscriptions();
    this.needsSync = true;
  }

  private async refreshCounts(): Promise<void> {
    const { pending, rejected } = await this.counts();
    const s = this.status.value;
    if (s.pending !== pending || s.rejected !== rejected) this.status.next({ ...s, pending, rejected });
  }

  private socketHandlers(provider: AuthProvider) {
    return {
      retryDelay: (attempt: number) => backoffDelay(attempt, this.options.retry),
      connected: () => {
        const wasUp = this.socketsUp.size > 0;
        this.socketsUp.add(provider);
        if (!wasUp) this.emit({ event: 'subscriptionsEstablished', data: {} });
        // Anything published while the socket was down is fetched by a delta sync.
        this.needsSync = true;
        this.waker.wake();
      },
      closed: () => {
        if (!this.socketsUp.delete(provider)) return;
        this.buffering = true;
        for (const m of Object.keys(this.schema.models)) this.setSynced(m, false);
      },
    };
  }

  /** Subscribes to one model's changes with `provider`'s credential (again, if it used another). */
  private subscribeModel(model: string, provider: AuthProvider): void {
    const current = this.subscriptions.get(model);
    if (current?.provider === provider) return;
    this.unsubscribeModel(model);
    const ws = this.client.socket(this.socketHandlers(provider), provider);
    const def = this.schema.models[model]!;
    const docs = modelDocuments(this.schema, def);
    const unsubscribe: Array<() => void> = [];
    for (const [query, field] of [
      [docs.onCreate, docs.subscriptionFields.onCreate],
      [docs.onUpdate, docs.subscriptionFields.onUpdate],
      [docs.onDelete, docs.subscriptionFields.onDelete],
    ] as const) {
      unsubscribe.push(
        ws.subscribe<Record<string, Rec>>(
          { query },
          {
            next: (message) => {
              const item = message.data?.[field];
              if (item) this.onRemote(model, item);
            },
            error: (error: unknown) => {
              // An array is the server refusing this one operation: for want of access, the model is
              // refused (reported once, retried when the credentials change); subscribing again would be
              // refused too. Anything else means graphql-ws gave up on the socket (a fatal close code):
              // every subscription on it is gone, so start over on a new one; a delta sync covers the gap.
              if (Array.isArray(error)) {
                const refusal = refusalOf(error);
                if (refusal) this.refuse(model, new ModelSyncRefusedError(model, refusal));
                else this.needsSync = true;
                return;
              }
              this.needsSync = true;
              this.subscriptionsBroken = true;
            },
            complete: () => undefined,
          },
        ),
      );
    }
    this.subscriptions.set(model, { provider, unsubscribe });
  }

  private unsubscribeModel(model: string): void {
    const current = this.subscriptions.get(model);
    if (!current) return;
    this.subscriptions.delete(model);
    for (const unsubscribe of current.unsubscribe) unsubscribe();
  }

  private unsubscribeAll(): void {
    for (const model of [...this.subscriptions.keys()]) this.unsubscribeModel(model);
  }

  /** Subscribes every model not refused, before any sync, so nothing published meanwhile is missed. */
  private subscribe(): void {
    for (const model of Object.keys(this.schema.models)) {
      if (this.refused.has(model) || this.subscriptions.has(model)) continue;
      const provider = this.readProvider.get(model) ?? this.providersFor(model, 'read')[0];
      if (provider) this.subscribeModel(model, provider);
    }
  }

  private onRemote(model: string, item: Rec): void {
    if (this.buffering) {
      this.buffer.push({ model, item });
      return;
    }
    this.applying = this.applying.then(() => this.applyLive(model, item)).catch(() => {
      this.needsSync = true;
    });
  }

  /**
   * A live change outside the model's sync expression is not stored, and a local copy that no longer
   * matches is removed: the sync expression holds for live changes as for sync pages (Amplify filters
   * subscription messages on arrival too).
   */
  private applyLive(model: string, item: Rec): Promise<unknown> {
    const expression = this.resolveExpression(model);
    if (expression && item._deleted !== true && !evaluatePredicate(expression, item)) return this.bridge.evict(model, item);
    return this.bridge.applyRemote(model, [item]);
  }

  private async flushBuffer(): Promise<void> {
    const buffered = this.buffer.splice(0);
    this.buffering = false;
    this.applying = this.applying.then(async () => {
      for (const { model, item } of buffered) await this.applyLive(model, item);
    });
    await this.applying;
  }

  private async syncAll(signal: AbortSignal): Promise<void> {
    this.setState('syncing');
    this.buffering = true;
    const order = syncOrder(this.schema);
    this.emit({ event: 'syncQueriesStarted', data: { models: order.map((m) => m.name) } });
    // Every model that will sync is listed from the start (at 0), so a bar over all of them does not
    // finish while a later model has not begun.
    this.setProgress(Object.fromEntries(order.filter((m) => !this.refused.has(m.name)).map((m) => [m.name, { received: 0, applied: 0, done: false }])));
    // Each model on its own: one the caller may not read is reported and skipped, never holding back the others.
    for (const model of order) {
      if (signal.aborted) return;
      if (this.refused.has(model.name)) continue;
      const filter = this.resolveExpression(model.name);
      const providers = this.providersFor(model.name, 'read');
      const last = this.readProvider.get(model.name);
      if (last && providers.includes(last)) providers.sort((a, b) => (a === last ? -1 : b === last ? 1 : 0));
      let refusal: ModelSyncRefusedError | undefined;
      for (const provider of providers) {
        this.subscribeModel(model.name, provider);
        try {
          await syncModel(
            this.schema,
            model,
            this.client,
            this.bridge,
            {
              pageSize: this.options.pageSize ?? 1000,
              fullSyncInterval: this.options.fullSyncInterval ?? 24 * 60 * 60 * 1000,
              now: Date.now,
              signal,
              provider,
              onProgress: (progress) => this.reportProgress(model.name, progress),
              ...(filter ? { filter } : {}),
              ...(this.options.maxRecordsToSync !== undefined ? { maxRecords: this.options.maxRecordsToSync } : {}),
            },
            this.emit,
          );
          this.readProvider.set(model.name, provider);
          refusal = undefined;
          break;
        } catch (error) {
          if (!(error instanceof ModelSyncRefusedError)) throw error;
          // Multi-auth: the next credential the model's rules allow may be let in.
          refusal = error;
        }
      }
      if (refusal) this.refuse(model.name, refusal);
    }
    await this.flushBuffer();
    // A socket that (re)connected while this sync ran asked for another one: changes committed between
    // this sync's pages and that socket's subscriptions reach no one else, so nothing is synced until it ran.
    if (this.needsSync) return;
    for (const model of order) if (!this.refused.has(model.name)) this.setSynced(model.name, true);
    this.emit({ event: 'syncQueriesReady', data: {} });
  }

  /** Drops every subscription and the socket, so the next `subscribe()` starts over. */
  private async resetSubscriptions(): Promise<void> {
    this.subscriptionsBroken = false;
    this.unsubscribeAll();
    await this.client.close();
    this.socketsUp.clear();
    this.buffering = true;
  }

  private async loop(): Promise<void> {
    await this.refreshCounts();
    let failures = 0;
    while (!this.stopped) {
      if (!this.online.isOnline) {
        this.setState('offline');
        await this.waker.wait(60_000);
        continue;
      }
      this.abort = new AbortController();
      const signal = this.abort.signal;
      try {
        const identity = await this.credentials.snapshot();
        if (this.identity?.identityKey !== identity.identityKey) {
          const changed = this.identity !== undefined;
          await this.onIdentity?.(identity);
          // From here on, a request that would go out under another identity is not sent.
          this.credentials.pinned = identity.identityKey;
          this.identity = identity;
          if (changed) await this.onIdentityChanged();
        }
        if (this.subscriptionsBroken) await this.resetSubscriptions();
        this.subscribe();
        if (this.needsSync) {
          this.needsSync = false;
          await this.syncAll(signal);
        }
        if (this.stopped) break;
        // Aborted (the network went away) between steps: the sync or drain was cut short, so nothing
        // here may claim `synced`; the top of the loop waits for the network.
        if (signal.aborted) {
          this.needsSync = true;
          continue;
        }
        this.setState('syncing');
        const { retryInMs } = await this.processor.drain(signal);
        await this.refreshCounts();
        failures = 0;
        if (this.stopped) break;
        if (signal.aborted || this.needsSync) {
          this.needsSync = true;
          continue;
        }
        this.setState('synced');
        if (!this.readyEmitted) {
          this.readyEmitted = true;
          this.emit({ event: 'ready', data: {} });
        }
        await this.waker.wait(retryInMs ?? 30_000);
      } catch (error) {
        if (this.stopped) break;
        this.needsSync = true;
        // The caller changed mid-way: nothing was sent under the new identity; handle the change at once.
        if (error instanceof IdentityChangedError) continue;
        failures++;
        const delay = backoffDelay(failures, this.options.retry);
        const reported = toSyncError(error);
        this.emit({ event: 'syncError', data: { message: reported.message, retryInMs: delay, error: reported } });
        this.setState('offline', reported.message);
        await this.waker.wait(delay);
      }
    }
  }
}

