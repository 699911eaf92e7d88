import { syncProgressOf, type SyncProgressState } from '@offgrid/core';
import { derived, type Readable } from 'svelte/store';
import { syncStatusStore } from './sync-status-store.js';
import type { AnyDataStore } from './types.js';

/**
 * The progress of the store's sync, for a progress bar: records `received` and `applied` across models, their
 * `total` when the server can tell it (undefined otherwise), `syncing` while a sync runs, `fullSync` for a
 * base sync (the long first one), and each model's figures in `models`.
 *
 * @example
 * const progress = syncProgressStore(store)
 * // {#if $progress.syncing && $progress.fullSync}<progress value={$progress.applied} max={$progress.total}></progress>{/if}
 */
export function syncProgressStore(store: AnyDataStore): Readable<SyncProgressState> {
  return derived(syncStatusStore(store), syncProgressOf);
}
