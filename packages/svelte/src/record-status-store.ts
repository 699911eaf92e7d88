import type { RecordSyncStatus } from '@offgrid/core';
import { readable, type Readable } from 'svelte/store';
import type { AnyDataStore } from './types.js';

/** One record's sync state: `synced`, `pending`, `conflicted` or `rejected` (with the server's reason). */
export type RecordStatus = RecordSyncStatus;

/**
 * One record's sync state as a Svelte store: `undefined` until first read, then each change of the store's
 * `recordStatus$` stream.
 *
 * @example
 * const status = recordStatusStore(store, todo)
 * // <li data-pending={$status?.status === 'pending'}>...</li>
 */
export function recordStatusStore(store: AnyDataStore, record: object): Readable<RecordStatus | undefined> {
  return readable<RecordStatus | undefined>(undefined, (set) => {
    // Started a microtask later: Svelte's server renderer unsubscribes within the same synchronous render,
    // so a server never reads the status from storage.
    let subscription: { unsubscribe(): void } | undefined;
    let stopped = false;
    queueMicrotask(() => {
      if (!stopped) subscription = store.recordStatus$(record).subscribe(set);
    });
    return () => {
      stopped = true;
      subscription?.unsubscribe();
    };
  });
}
