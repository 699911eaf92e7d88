import type { QueryObserver, QueryResult } from '@offgrid/core';
import { onScopeDispose, watch } from 'vue';

/** @internal One query to follow: its key, and how to open its observer. */
export interface ObserverSpec<T> {
  key: string;
  open: () => QueryObserver<T>;
}

/**
 * @internal Bridges a reactive query to `onResult`: opens an observer for the current spec, subscribes
 * to it, and opens a new one only when the spec's key changes (or closes it when the spec is undefined).
 * The subscription ends with the effect scope, which stops the observer once it has no other listener.
 */
export function followObserver<T>(spec: () => ObserverSpec<T> | undefined, onResult: (result: QueryResult<T> | undefined, error?: Error) => void): void {
  let activeKey: string | undefined | null = null;
  let release: (() => void) | undefined;

  const close = () => {
    release?.();
    release = undefined;
  };

  watch(
    spec,
    (next) => {
      if (next?.key === activeKey) return;
      close();
      activeKey = next?.key;
      if (!next) return onResult(undefined);
      let observer: QueryObserver<T>;
      try {
        observer = next.open();
      } catch (error) {
        return onResult(undefined, error as Error);
      }
      onResult(observer.getCurrentResult());
      release = observer.subscribe((result) => onResult(result));
    },
    { immediate: true },
  );

  onScopeDispose(close);
}
