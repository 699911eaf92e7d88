import { syncProgressOf, type SyncProgressState } from '@offgrid/core';
import { useSyncStatus } from './use-sync-status';

/**
 * The progress of the store's sync, for a progress bar: records `received` and `applied` across models,
 * their `total` when the server can tell it (undefined otherwise: show a count, not a bar), `syncing` while a
 * sync runs, `fullSync` when it is a base sync (the long first one), and each model's figures in `models`.
 * Re-renders with the sync status.
 *
 * @example
 * function FirstSyncBar() {
 *   const { syncing, fullSync, applied, total } = useSyncProgress()
 *   if (!syncing || !fullSync) return null
 *   return <progress value={applied} max={total}>{applied} records</progress>
 * }
 */
export function useSyncProgress(): SyncProgressState {
  // syncProgressOf answers the same object for the same status, so this stays a stable snapshot.
  return syncProgressOf(useSyncStatus());
}
