import type { SyncStatus } from '@offgrid/core';
import { onScopeDispose, shallowRef, type ShallowRef } from 'vue';
import { isServerRendering } from './follow-query';
import { injectStore } from './use-data-store';

/**
 * The store's sync status as a ref: `state` (`stopped`, `offline`, `syncing`, `synced`), how many
 * changes are `pending` or `rejected`, and per model the progress of the current sync (`progress`; summed by
 * `useSyncProgress`). Released with the effect scope; read once during server rendering.
 *
 * @example
 * const status = useSyncStatus()
 * const offline = computed(() => status.value.state === 'offline')
 */
export function useSyncStatus(): Readonly<ShallowRef<SyncStatus>> {
  const store = injectStore('useSyncStatus');
  const status = shallowRef<SyncStatus>({ state: 'stopped', pending: 0, rejected: 0 });
  // syncStatus$ replays the current status on subscribe, so the ref starts right.
  const subscription = store.syncStatus$.subscribe((next) => {
    status.value = next;
  });
  // On a server the scope is never disposed: keep the value read, follow nothing.
  if (isServerRendering()) subscription.unsubscribe();
  else onScopeDispose(() => subscription.unsubscribe());
  return status;
}
