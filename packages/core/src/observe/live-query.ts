import type { Subscription } from 'rxjs';
import { StoreStateError } from '../errors';
import { evaluatePredicate, hasRelationNode } from '../predicates/evaluate-predicate';
import type { PredicateNode, SortSpec } from '../predicates/predicate-node';
import { recordComparator } from '../predicates/sort-records';
import type { ChangeBatch, RecordChange } from './change-feed';
import type { LiveQuerySource } from './live-query-source';

/** A live query's current state. The same object is returned until something in it changes. */
export interface QueryResult<T> {
  items: readonly T[];
  /** True once the model's records are synced with the server (always true for a local-only store). */
  isSynced: boolean;
  /** True until the first snapshot is read from storage. */
  isLoading: boolean;
  error: Error | undefined;
}

/** What a live query selects: one model, an optional predicate, sort and limit. */
export interface LiveQueryOptions {
  model: string;
  predicate?: PredicateNode;
  sort?: SortSpec[];
  limit?: number;
}

type Rec = Record<string, unknown>;

/**
 * One running query, shared by every observer of the same query through the {@link LiveQueryCache}.
 * It reads its first snapshot once, then applies each committed change to the result in place (insert at
 * its sorted position, move, remove) without running the query again. Two cases reload from the storage
 * engine instead: a predicate that crosses relations, and a `limit` window that lost a record and may
 * have more to show. When the store closes, its result keeps the last rows and gets a `StoreStateError`.
 *
 * @example
 * const query = new LiveQuery(source, { model: 'Todo' })
 * const stop = query.subscribe((r) => render(r.items))
 */
export class LiveQuery<T = Rec> {
  private result: QueryResult<T>;
  private readonly listeners = new Set<(result: QueryResult<T>) => void>();
  private readonly compare: (a: Rec, b: Rec) => number;
  private readonly keys = new Map<string, Rec>();
  private readonly viaRelations: boolean;
  private feedSubscription: Subscription | undefined;
  private syncSubscription: Subscription | undefined;
  /** Changes that arrive while a snapshot is being read; applied on top of it. */
  private buffered: RecordChange[] | undefined;
  private reloadQueued = false;
  /** A reload was asked for while a read was running: run one more when it ends. */
  private reloadAgain = false;
  /** The window may have more records beyond `limit`. */
  private truncated = false;

  constructor(
    private readonly source: LiveQuerySource,
    private readonly options: LiveQueryOptions,
  ) {
    this.compare = recordComparator(options.sort, (r) => source.keyOf(options.model, r));
    this.viaRelations = hasRelationNode(options.predicate);
    this.result = { items: [], isSynced: source.isSynced(options.model), isLoading: true, error: undefined };
  }

  getCurrentResult(): QueryResult<T> {
    return this.result;
  }

  /** How many listeners follow this query. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Starts the query on the first listener and stops it after the last one leaves. */
  subscribe(listener: (result: QueryResult<T>) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private start(): void {
    this.feedSubscription = this.source.changes$.subscribe({
      next: (batch) => this.onBatch(batch),
      // The feed completes only when the store closes: mounted views must learn that nothing follows.
      complete: () => {
        const error = new StoreStateError(`The DataStore was closed; this live query of ${this.options.model} no longer follows changes. Create a new store.`);
        this.publish({ ...this.result, isLoading: false, error }, true);
      },
    });
    this.syncSubscription = this.source.syncStateChanged$.subscribe(() => {
      const isSynced = this.source.isSynced(this.options.model);
      if (isSynced !== this.result.isSynced) this.publish({ ...this.result, isSynced });
    });
    void this.reload();
  }

  private stop(): void {
    this.feedSubscription?.unsubscribe();
    this.syncSubscription?.unsubscribe();
    this.feedSubscription = this.syncSubscription = undefined;
  }

  private onBatch(batch: ChangeBatch): void {
    if (batch.source === 'reset') {
      this.queueReload();
      return;
    }
    const relevant = batch.changes.filter((c) => c.model === this.options.model || this.source.affects(this.options, c.model));
    if (relevant.length === 0) return;
    if (this.buffered) {
      this.buffered.push(...relevant);
      return;
    }
    if (this.viaRelations) this.queueReload();
    else this.applyChanges(relevant);
  }

  private queueReload(): void {
    if (this.reloadQueued) return;
    this.reloadQueued = true;
    queueMicrotask(() => {
      this.reloadQueued = false;
      void this.reload();
    });
  }

  private async reload(): Promise<void> {
    if (this.buffered) {
      // Waiting here (not re-queuing a microtask) lets a slow read finish instead of starving it.
      this.reloadAgain = true;
      return;
    }
    this.buffered = [];
    try {
      const { limit } = this.options;
      const items = await this.source.runQuery(this.options);
      this.keys.clear();
      for (const item of items) this.keys.set(this.source.keyOf(this.options.model, item), item);
      this.truncated = limit !== undefined && items.length >= limit;
      const pending = this.buffered;
      this.buffered = undefined;
      this.publish({ items: items as unknown as T[], isSynced: this.source.isSynced(this.options.model), isLoading: false, error: undefined }, true);
      if (this.viaRelations && pending.length > 0) this.queueReload();
      else if (pending.length > 0) this.applyChanges(pending);
    } catch (error) {
      this.buffered = undefined;
      this.publish({ ...this.result, isLoading: false, error: error as Error }, true);
    }
    if (this.reloadAgain) {
      this.reloadAgain = false;
      if (this.listeners.size > 0) this.queueReload();
    }
  }

  /** Binary search for where `record` belongs in the sorted items. */
  private position(items: readonly Rec[], record: Rec): number {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(items[mid]!, record) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private applyChanges(changes: RecordChange[]): void {
    const { predicate, limit } = this.options;
    let items = this.result.items as unknown as Rec[];
    let copied = false;
    let lostOne = false;
    for (const change of changes) {
      if (change.model !== this.options.model) continue;
      const old = this.keys.get(change.key);
      const matches = change.record !== undefined && evaluatePredicate(predicate, change.record);
      if (!old && !matches) continue;
      if (!copied) {
        items = items.slice();
        copied = true;
      }
      if (old) {
        let at = this.position(items, old);
        if (items[at] !== old) at = items.indexOf(old);
        items.splice(at, 1);
        this.keys.delete(change.key);
        if (!matches) lostOne = true;
      }
      if (matches) {
        const record = change.record!;
        const at = this.position(items, record);
        // Past the last shown record of a window with more records behind it, the unseen records may sort
        // first: only the storage engine knows, so leave it out and refill from there.
        const pastKnown = this.truncated && at === items.length;
        if (limit !== undefined && (at >= limit || pastKnown)) {
          this.truncated = true;
          lostOne = true;
          continue;
        }
        items.splice(at, 0, record);
        this.keys.set(change.key, record);
        if (limit !== undefined && items.length > limit) {
          const dropped = items.pop()!;
          this.keys.delete(this.source.keyOf(this.options.model, dropped));
          this.truncated = true;
        }
      }
    }
    if (!copied) return;
    this.publish({ ...this.result, items: items as unknown as T[] });
    if (lostOne && this.truncated && limit !== undefined && items.length < limit) this.queueReload();
  }

  private publish(result: QueryResult<T>, force = false): void {
    if (!force && result.items === this.result.items && result.isSynced === this.result.isSynced) return;
    this.result = result;
    for (const listener of [...this.listeners]) listener(result);
  }
}
