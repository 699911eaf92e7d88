import { assertInInjectionContext, inject, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { SyncStatus } from '@offgrid/core';
import { DATA_STORE } from './data-store-token';

/**
 * The store's sync status as a signal: `{ state: 'stopped' | 'offline' | 'syncing' | 'synced', pending,
 * rejected, error? }`. Released with the component or injector.
 *
 * @example
 * readonly status = injectSyncStatus()
 * // template: @if (status().state === 'offline') { Offline, {{ status().pending }} changes waiting }
 */
export function injectSyncStatus(): Signal<SyncStatus> {
  assertInInjectionContext(injectSyncStatus);
  return toSignal(inject(DATA_STORE).syncStatus$, { requireSync: true });
}
