import { assertInInjectionContext, computed, DestroyRef, effect, inject, PLATFORM_ID, signal, untracked, type Signal } from '@angular/core';
import type { RecordSyncStatus } from '@offgrid/core';
import type { Subscription } from 'rxjs';
import { DATA_STORE } from './data-store-token';
import { readInput, type ReactiveInput } from './reactive-input';

/** One record's sync state: `synced`, `pending`, `conflicted` or `rejected` (with the server's reason). */
export type RecordStatus = RecordSyncStatus;

/**
 * A record's sync state as a signal, following the store's `recordStatus$` stream for the current record.
 * `undefined` until first read and without a record.
 *
 * @example
 * readonly todo = input.required<Todo>()
 * readonly status = injectRecordStatus(this.todo)
 * // template: <li [attr.data-pending]="status()?.status === 'pending'">
 */
export function injectRecordStatus<T extends object>(record: ReactiveInput<T | undefined>): Signal<RecordStatus | undefined> {
  assertInInjectionContext(injectRecordStatus);
  const store = inject(DATA_STORE);
  const current = computed(() => readInput(record));
  const status = signal<RecordStatus | undefined>(undefined, {
    equal: (a, b) => a?.status === b?.status && a?.reason === b?.reason,
  });
  // A record's status is read from storage: on the server there is nothing to show yet, and nothing may follow.
  if (inject(PLATFORM_ID) === 'server') return status.asReadonly();
  let subscription: Subscription | undefined;
  effect(() => {
    const r = current();
    untracked(() => {
      subscription?.unsubscribe();
      status.set(undefined);
      subscription = r ? store.recordStatus$(r).subscribe((s) => status.set(s)) : undefined;
    });
  });
  inject(DestroyRef).onDestroy(() => subscription?.unsubscribe());
  return status.asReadonly();
}
