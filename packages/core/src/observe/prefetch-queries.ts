import type { QueryObserver, QueryPlaceholder } from './query-observer';

/**
 * Rows of live queries read on a server, as plain JSON: embed it in the page and pass it to the client's
 * binding (`initialQueries`), which renders the same rows at once and hydrates without a loading flash.
 */
export interface DehydratedQueries {
  queries: Record<string, { model: string; items: Record<string, unknown>[] }>;
}

/**
 * Reads live queries once (for server rendering) and returns their rows as JSON-safe state. Pass the
 * state to the binding on the server and on the client: both render these rows, and the client's live
 * query takes over when its own first read arrives.
 *
 * @example
 * const initialQueries = await prefetchQueries([store.liveQuery(Todo, (p) => p.done.eq(false))])
 * const html = renderToString(<DataStoreProvider store={store} initialQueries={initialQueries}><App /></DataStoreProvider>)
 * // <script>window.__OFFGRID__ = ${JSON.stringify(initialQueries)}</script>
 */
export async function prefetchQueries(observers: readonly QueryObserver<any>[]): Promise<DehydratedQueries> {
  const queries: DehydratedQueries['queries'] = {};
  await Promise.all(
    observers.map(
      (observer) =>
        new Promise<void>((resolve, reject) => {
          let stop: (() => void) | undefined;
          let done = false;
          const settle = () => {
            const result = observer.getCurrentResult();
            if (done || result.isLoading) return;
            done = true;
            // A microtask later: `stop` is not assigned yet when the result was already there.
            queueMicrotask(() => stop?.());
            if (result.error) return reject(result.error);
            // Own enumerable fields only: the stored values, without relation accessors.
            queries[observer.key] = { model: observer.options.model, items: result.items.map((r) => ({ ...(r as object) })) };
            resolve();
          };
          stop = observer.subscribe(settle);
          settle();
        }),
    ),
  );
  return { queries };
}

/**
 * Prefetched rows turned back into records, looked up by the query an observer runs. A binding makes one
 * per app (per request on a server) from {@link DehydratedQueries}; each query's rows are used until its
 * live result first arrives, then forgotten, so a later mount never shows them stale.
 *
 * @example
 * const hydrated = store.liveQueries.hydrate(window.__OFFGRID__)
 * observer.setPlaceholder(hydrated.placeholderFor(observer))
 */
export class HydratedQueries {
  constructor(private readonly rows: Map<string, readonly Record<string, unknown>[]>) {}

  /** The prefetched rows of this observer's query, as a placeholder, or `undefined`. */
  placeholderFor<T>(observer: QueryObserver<T>): QueryPlaceholder<T> | undefined {
    const items = this.rows.get(observer.key);
    if (!items) return undefined;
    return { items: items as readonly T[], isLoading: false, onReplaced: () => this.rows.delete(observer.key) };
  }
}
