/** What a store has running for its views; all zero once nothing follows it. */
export interface LiveSubscriptions {
  /** Live queries running (observed, or within their grace period). */
  liveQueries: number;
  /** Open subscriptions to `syncStatus$`. */
  syncStatus: number;
  /** Open subscriptions to `events$` (record-status streams follow it). */
  events: number;
}

type Subscribable = { subscribe(observer?: unknown): { unsubscribe(): void } };

/**
 * Starts counting what views keep subscribed on `store` (for tests of bindings, e.g. that server rendering
 * leaves nothing running) and returns a function reading the counts. Call it before rendering.
 *
 * @example
 * const live = countLiveSubscriptions(store)
 * renderToString(<DataStoreProvider store={store}><App /></DataStoreProvider>)
 * expect(live()).toEqual({ liveQueries: 0, syncStatus: 0, events: 0 })
 */
export function countLiveSubscriptions(store: { readonly liveQueries: { readonly size: number } }): () => LiveSubscriptions {
  const open = { syncStatus: 0, events: 0 };
  const counted = (source: Subscribable, name: keyof typeof open) => {
    const wrapper = Object.create(source) as Subscribable;
    wrapper.subscribe = (observer?: unknown) => {
      open[name]++;
      const subscription = source.subscribe(observer);
      let closed = false;
      return Object.assign(Object.create(subscription), {
        unsubscribe() {
          if (!closed) open[name]--;
          closed = true;
          subscription.unsubscribe();
        },
      });
    };
    return wrapper;
  };
  const writable = store as unknown as { syncStatus$: Subscribable; events$: Subscribable };
  writable.syncStatus$ = counted(writable.syncStatus$, 'syncStatus');
  writable.events$ = counted(writable.events$, 'events');
  return () => ({ liveQueries: store.liveQueries.size, ...open });
}
