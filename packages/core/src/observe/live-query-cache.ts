import { liveQueryKey } from './build-live-query';
import { LiveQuery, type LiveQueryOptions } from './live-query';
import type { LiveQuerySource } from './live-query-source';
import { HydratedQueries, type DehydratedQueries } from './prefetch-queries';
import { QueryObserver } from './query-observer';

interface Entry {
  query: LiveQuery<any>;
  /** Observers attached; at zero the grace timer runs. */
  refs: number;
  /** The cache's own listener: keeps the query running through the grace period. */
  hold: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The store's running live queries, keyed by what they select (as TanStack Query's `QueryCache`): every
 * observer of the same query shares one {@link LiveQuery}, so thirty components on one query cost one
 * storage read and one set of change-feed work. A query stays in the cache while observers are attached
 * and for `gracePeriodMs` after the last one leaves, so a component that remounts (React StrictMode, a
 * navigation back) finds it running instead of reading storage again.
 *
 * @example
 * const a = store.liveQuery(Todo, (p) => p.done.eq(false))
 * const b = store.liveQuery(Todo, (p) => p.done.eq(false))
 * a.subscribe(render); b.subscribe(render) // one query, one read
 * store.liveQueries.size // 1
 */
export class LiveQueryCache {
  private readonly entries = new Map<string, Entry>();
  /** How long a query with no observer keeps running (ms). */
  gracePeriodMs = 1000;

  constructor(private readonly source: LiveQuerySource) {}

  /** How many queries are running (observed, or within their grace period). */
  get size(): number {
    return this.entries.size;
  }

  /** An observer of the query: cheap to create, it runs nothing until subscribed. */
  observe<T>(options: LiveQueryOptions): QueryObserver<T> {
    return new QueryObserver<T>(this, options, liveQueryKey(options), this.source);
  }

  /**
   * Prefetched rows (see `prefetchQueries`) as records, for a binding to show until each query's live
   * result arrives. Bindings call it with their `initialQueries`.
   *
   * @example
   * const hydrated = store.liveQueries.hydrate(initialQueries)
   */
  hydrate(state: DehydratedQueries | undefined): HydratedQueries {
    const rows = new Map<string, readonly Record<string, unknown>[]>();
    for (const [key, { model, items }] of Object.entries(state?.queries ?? {})) {
      rows.set(key, Object.freeze(items.map((fields) => this.source.materialize(model, fields))));
    }
    return new HydratedQueries(rows);
  }

  /** @internal The running query for `key`, if any, without attaching to it. */
  peek<T>(key: string): LiveQuery<T> | undefined {
    return this.entries.get(key)?.query;
  }

  /** @internal Attaches an observer to the query for `key`, starting it if needed; returns the detach function. */
  attach<T>(key: string, options: LiveQueryOptions): { query: LiveQuery<T>; detach: () => void } {
    let entry = this.entries.get(key);
    if (!entry) {
      const query = new LiveQuery<unknown>(this.source, options);
      entry = { query, refs: 0, hold: query.subscribe(() => undefined), timer: undefined };
      this.entries.set(key, entry);
    }
    const attached = entry;
    attached.refs++;
    clearTimeout(attached.timer);
    attached.timer = undefined;
    let detached = false;
    return {
      query: attached.query,
      detach: () => {
        if (detached) return;
        detached = true;
        if (--attached.refs > 0 || this.entries.get(key) !== attached) return;
        attached.timer = setTimeout(() => this.evict(key, attached), this.gracePeriodMs);
        // A query waiting out its grace period must not keep a Node process alive.
        (attached.timer as { unref?: () => void }).unref?.();
      },
    };
  }

  /** Stops every query now (the store closed). Observers keep their last result. */
  dispose(): void {
    for (const [key, entry] of [...this.entries]) this.evict(key, entry);
  }

  private evict(key: string, entry: Entry): void {
    clearTimeout(entry.timer);
    if (this.entries.get(key) === entry) this.entries.delete(key);
    entry.hold();
  }
}
