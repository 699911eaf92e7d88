/** The part of an rxjs observable the bindings use, so tests can pass a plain object. */
export interface Subscribable<T> {
  subscribe(next: (value: T) => void): { unsubscribe(): void };
}

/** `subscribe` and `getSnapshot` for `useSyncExternalStore`. */
export interface ExternalSource<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

const sources = new WeakMap<object, ExternalSource<unknown>>();

/**
 * An observable that replays its current value (a `BehaviorSubject`'s) as a `useSyncExternalStore`
 * source. One source per observable, so every component shares one subscription and one snapshot.
 *
 * @example
 * const source = snapshotOf(store.syncStatus$, { state: 'stopped', pending: 0, rejected: 0 })
 * const status = useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot)
 */
export function snapshotOf<T>(source$: Subscribable<T>, initial: T): ExternalSource<T> {
  let source = sources.get(source$) as ExternalSource<T> | undefined;
  if (!source) {
    source = fromSubscribable(source$, initial);
    sources.set(source$, source as ExternalSource<unknown>);
  }
  return source;
}

function fromSubscribable<T>(source$: Subscribable<T>, initial: T): ExternalSource<T> {
  let latest = initial;
  let subscription: { unsubscribe(): void } | undefined;
  const listeners = new Set<() => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      subscription ??= source$.subscribe((value) => {
        if (Object.is(value, latest)) return;
        latest = value;
        for (const l of [...listeners]) l();
      });
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        subscription?.unsubscribe();
        subscription = undefined;
      };
    },
    getSnapshot() {
      // Unsubscribed, the value may be stale: a replaying observable hands over its current one at once.
      if (!subscription) source$.subscribe((value) => void (latest = value)).unsubscribe();
      return latest;
    },
  };
}
