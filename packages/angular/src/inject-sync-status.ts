import { assertInInjectionContext, inject, PLATFORM_ID, signal, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { SyncStatus } from '@offgrid/core';
import { DATA_STORE } from './data-store-token';

/**
 * The store's sync status as a signal: `{ state: 'stopped' | 'offline' | 'syncing' | 'synced', pending,
 * rejected, error?, refused?, progress? }` (`progress`: per model, the current sync's; summed by
 * `injectSyncProgress`). Released with the component or injector; read once during server rendering.
 *
 * @example
 * readonly status = injectSyncStatus()
 * // template: @if (status().state === 'offline') { Offline, {{ status().pending }} changes waiting }
 */
export function injectSyncStatus(): Signal<SyncStatus> {
  assertInInjectionContext(injectSyncStatus);
  const status$ = inject(DATA_STORE).syncStatus$;
  if (inject(PLATFORM_ID) === 'server') {
    // syncStatus$ replays its current value at once: read it, follow nothing.
    const current = signal<SyncStatus>({ state: 'stopped', pending: 0, rejected: 0 });
    status$.subscribe((s) => current.set(s)).unsubscribe();
    return current.asReadonly();
  }
  return toSignal(status$, { requireSync: true });
}
