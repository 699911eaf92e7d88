import type { SyncStatus } from '@offgrid/core';
import type { Readable } from 'svelte/store';
import type { AnyDataStore } from './types.js';

/**
 * The store's sync state (`stopped`, `offline`, `syncing`, `synced`) with its pending and rejected counts,
 * and per model the progress of the current sync (`progress`; summed by `syncProgressStore`).
 *
 * @example
 * const sync = syncStatusStore(store)
 * // <span data-state={$sync.state}>{$sync.pending} pending</span>
 */
export function syncStatusStore(store: AnyDataStore): Readable<SyncStatus> {
  return {
    subscribe(run) {
      // syncStatus$ replays its current value on subscribe, which is what the store contract asks for.
      const subscription = store.syncStatus$.subscribe(run);
      return () => subscription.unsubscribe();
    },
  };
}
