import { assertInInjectionContext, computed, type Signal } from '@angular/core';
import { syncProgressOf, type SyncProgressState } from '@offgrid/core';
import { injectSyncStatus } from './inject-sync-status';

/**
 * The progress of the store's sync as a signal, for a progress bar: records `received` and `applied` across
 * models, their `total` when the server can tell it (undefined otherwise), `syncing` while a sync runs,
 * `fullSync` for a base sync (the long first one), and each model's figures in `models`. Released with the
 * component or injector, as `injectSyncStatus`.
 *
 * @example
 * readonly progress = injectSyncProgress()
 * // template: @if (progress().syncing && progress().fullSync) { <progress [value]="progress().applied" [max]="progress().total"></progress> }
 */
export function injectSyncProgress(): Signal<SyncProgressState> {
  assertInInjectionContext(injectSyncProgress);
  const status = injectSyncStatus();
  return computed(() => syncProgressOf(status()));
}
