import type { QueryObserver, QueryResult } from '@offgrid/core';

/**
 * Bridges one core `QueryObserver` to `useSyncExternalStore`, adding what React's lifecycle needs:
 * - the observer is released a microtask after its last listener leaves, so StrictMode's
 *   unsubscribe-and-resubscribe within one commit keeps the running query instead of reading storage twice;
 * - a released observer is never subscribed again; the next subscriber gets a fresh one. Restarting an
 *   observer whose first read is still in flight would make its reload retry in a microtask loop.
 *
 * @example
 * const handle = new LiveQueryHandle(() => store.liveQuery(Todo))
 * const result = useSyncExternalStore(handle.subscribe, handle.getSnapshot, handle.getSnapshot)
 */
export class LiveQueryHandle<T> {
  private observer: QueryObserver<T> | undefined;
  private release: (() => void) | undefined;
  private readonly listeners = new Set<() => void>();
  private releaseQueued = false;

  constructor(private readonly create: () => QueryObserver<T>) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    this.release ??= this.current().subscribe(() => {
      for (const l of [...this.listeners]) l();
    });
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.queueRelease();
    };
  };

  /** The observer's current result: the same object until the query's result changes. */
  readonly getSnapshot = (): QueryResult<T> => this.current().getCurrentResult();

  private current(): QueryObserver<T> {
    this.observer ??= this.create();
    return this.observer;
  }

  private queueRelease(): void {
    if (this.releaseQueued) return;
    this.releaseQueued = true;
    queueMicrotask(() => {
      this.releaseQueued = false;
      if (this.listeners.size > 0 || !this.release) return;
      this.release();
      this.release = undefined;
      this.observer = undefined;
    });
  }
}
