import { assertInInjectionContext, computed, DestroyRef, effect, inject, signal, untracked, type Signal } from '@angular/core';
import type { DataStore } from '@offgrid/core';
import { filter, merge } from 'rxjs';
import { DATA_STORE } from './data-store-token';
import { readInput, type ReactiveInput } from './reactive-input';

/** One record's sync state: `synced`, `pending`, `conflicted` or `rejected` (with the server's reason). */
export type RecordStatus = Awaited<ReturnType<DataStore['recordStatus']>>;

const OUTBOX_EVENTS = new Set(['outboxMutationEnqueued', 'outboxMutationProcessed', 'outboxMutationFailed', 'outboxStatus', 'conflict', 'cleared']);

/**
 * A record's sync state as a signal, re-read when the record changes or the outbox moves. `undefined`
 * until first read and without a record.
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
  let reads = 0;
  let queued = false;
  // Coalesces a burst of outbox events into one read; a later read wins over an earlier slower one.
  const refresh = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      const r = untracked(current);
      const read = ++reads;
      if (!r) return status.set(undefined);
      store.recordStatus(r).then(
        (s) => read === reads && status.set(s),
        () => undefined,
      );
    });
  };
  effect(() => {
    current();
    refresh();
  });
  const subscription = merge(store.events$.pipe(filter((e) => OUTBOX_EVENTS.has(e.event))), store.syncStatus$).subscribe(refresh);
  inject(DestroyRef).onDestroy(() => {
    subscription.unsubscribe();
    reads++;
  });
  return status.asReadonly();
}
