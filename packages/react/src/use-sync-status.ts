import type { SyncStatus } from '@offgrid/core';
import { useSyncExternalStore } from 'react';
import { useDataStoreContext } from './data-store-context';
import { snapshotOf } from './observable-snapshot';

const STOPPED: SyncStatus = Object.freeze({ state: 'stopped', pending: 0, rejected: 0 });

/**
 * The store's sync status: `state` (`stopped`, `offline`, `syncing`, `synced`), how many changes wait to
 * reach the server (`pending`) and how many it refused (`rejected`), and per model the progress of the
 * current sync (`progress`; summed by {@link useSyncProgress}). Re-renders only when it changes.
 *
 * @example
 * function SyncBadge() {
 *   const { state, pending } = useSyncStatus()
 *   return <span data-state={state}>{state}{pending > 0 ? ` (${pending} pending)` : ''}</span>
 * }
 */
export function useSyncStatus(): SyncStatus {
  const source = snapshotOf(useDataStoreContext('useSyncStatus()').store.syncStatus$, STOPPED);
  return useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
}
