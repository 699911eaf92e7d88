import type { LiveQueryOptions, QueryResult } from './live-query';
import type { LiveQueryCache } from './live-query-cache';
import type { LiveQuerySource } from './live-query-source';

export type { LiveQueryOptions, QueryResult } from './live-query';

/** Rows shown while the query has not read its own first snapshot. */
export interface QueryPlaceholder<T> {
  items: readonly T[];
  /** What `isLoading` says while they show: `true` for a previous query's rows, `false` for prefetched rows. */
  isLoading: boolean;
  /** Called once the query's own result replaced them. */
  onReplaced?: () => void;
}

/**
 * What bindings bridge to their framework: `subscribe(listener)` and `getCurrentResult()`, the same
 * result object while nothing changed. Observers of the same query share one running query through the
 * store's {@link LiveQueryCache}; an observer itself is cheap and runs nothing until subscribed. Before
 * it is subscribed, `getCurrentResult()` already shows the shared query's result if one is running, so a
 * component mounting beside another on the same query renders its rows at once.
 *
 * @example
 * const observer = store.liveQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })
 * const stop = observer.subscribe((r) => render(r.items))
 */
export class QueryObserver<T = Record<string, unknown>> {
  private readonly listeners = new Set<(result: QueryResult<T>) => void>();
  private attached: { query: { getCurrentResult(): QueryResult<T> }; detach: () => void; stop: () => void } | undefined;
  private readonly loading: QueryResult<T>;
  private placeholder: QueryPlaceholder<T> | undefined;
  private shown: { base: QueryResult<T>; result: QueryResult<T> } | undefined;

  /** @internal Use `store.liveQuery(...)`. */
  constructor(
    private readonly cache: LiveQueryCache,
    /** What the query selects. */
    readonly options: LiveQueryOptions,
    /** Equal for observers of the same query. */
    readonly key: string,
    source: Pick<LiveQuerySource, 'isSynced'>,
  ) {
    this.loading = Object.freeze({ items: Object.freeze([]) as readonly T[], isSynced: source.isSynced(options.model), isLoading: true, error: undefined });
  }

  /** The current result; the same object until something in it changes. Bound, so it can be passed as is. */
  readonly getCurrentResult = (): QueryResult<T> => {
    const base = this.attached?.query.getCurrentResult() ?? this.cache.peek<T>(this.key)?.getCurrentResult() ?? this.loading;
    const placeholder = this.placeholder;
    if (!placeholder) return base;
    if (!base.isLoading || base.error) {
      this.placeholder = undefined;
      this.shown = undefined;
      placeholder.onReplaced?.();
      return base;
    }
    if (this.shown?.base !== base) this.shown = { base, result: { ...base, items: placeholder.items, isLoading: placeholder.isLoading } };
    return this.shown.result;
  };

  /**
   * Starts following the query (sharing it with other observers of the same query) on the first
   * listener, and lets go of it after the last one leaves. Bound, so it can be passed as is.
   */
  readonly subscribe = (listener: (result: QueryResult<T>) => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.attached) {
      const { query, detach } = this.cache.attach<T>(this.key, this.options);
      const stop = query.subscribe(() => {
        const result = this.getCurrentResult();
        for (const l of [...this.listeners]) l(result);
      });
      this.attached = { query, detach, stop };
    }
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0 || !this.attached) return;
      const { detach, stop } = this.attached;
      this.attached = undefined;
      stop();
      detach();
    };
  };

  /**
   * Rows to show until the query reads its own: a previous query's rows when the query changes (no empty
   * blink), or rows prefetched on a server (no loading flash on hydration). Call it before rendering.
   *
   * @example
   * next.setPlaceholder({ items: previous.getCurrentResult().items, isLoading: true })
   */
  setPlaceholder(placeholder: QueryPlaceholder<T> | undefined): this {
    this.placeholder = placeholder;
    this.shown = undefined;
    return this;
  }
}
