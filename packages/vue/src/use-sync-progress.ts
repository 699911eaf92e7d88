import { syncProgressOf, type SyncProgressState } from '@offgrid/core';
import { computed, type ComputedRef } from 'vue';
import { useSyncStatus } from './use-sync-status';

/**
 * The progress of the store's sync as a computed ref, for a progress bar: records `received` and `applied`
 * across models, their `total` when the server can tell it (undefined otherwise), `syncing` while a sync
 * runs, `fullSync` for a base sync (the long first one), and each model's figures in `models`. Released
 * with the effect scope, as `useSyncStatus`.
 *
 * @example
 * const progress = useSyncProgress()
 * // <progress v-if="progress.syncing && progress.fullSync" :value="progress.applied" :max="progress.total" />
 */
export function useSyncProgress(): ComputedRef<SyncProgressState> {
  const status = useSyncStatus();
  return computed(() => syncProgressOf(status.value));
}
