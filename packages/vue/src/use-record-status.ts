import type { DataStoreEventName } from '@offgrid/core';
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { injectStore } from './use-data-store';

/** One record's sync state, as `store.recordStatus` reports it. */
export interface RecordStatus {
  status: 'synced' | 'pending' | 'conflicted' | 'rejected';
  /** Why it was rejected or conflicted. */
  reason?: string;
}

/** Events after which a record's status may differ. */
const OUTBOX_EVENTS = new Set<DataStoreEventName>([
  'outboxMutationEnqueued',
  'outboxMutationProcessed',
  'outboxMutationFailed',
  'outboxStatus',
  'conflict',
  'cleared',
]);

/**
 * A record's sync state as a ref: `pending` while a change to it waits for the server, then `synced`
 * (or `conflicted` / `rejected` with a reason). Undefined until first read and while `record` is empty.
 * The record may be a ref or getter; the status is read again when it or the outbox changes.
 *
 * @example
 * const props = defineProps<{ todo: Todo }>()
 * const status = useRecordStatus(() => props.todo)
 * const pending = computed(() => status.value?.status === 'pending')
 */
export function useRecordStatus(record: MaybeRefOrGetter<object | null | undefined>): Readonly<ShallowRef<RecordStatus | undefined>> {
  const store = injectStore('useRecordStatus');
  const status: ShallowRef<RecordStatus | undefined> = shallowRef();
  let reads = 0;
  let queued = false;
  let disposed = false;

  const read = () => {
    queued = false;
    if (disposed) return;
    const target = toValue(record);
    const mine = ++reads;
    if (!target) {
      status.value = undefined;
      return;
    }
    store.recordStatus(target).then(
      (next) => {
        // A later read (a newer record or outbox) wins; an unchanged status keeps the same object.
        if (mine !== reads || disposed) return;
        if (next.status !== status.value?.status || next.reason !== status.value?.reason) status.value = next;
      },
      () => undefined,
    );
  };
  // Several outbox events arrive together (enqueued + status); one read answers them all.
  const readSoon = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(read);
  };

  watch(() => toValue(record), read, { immediate: true });
  const events = store.events$.subscribe((e) => {
    if (OUTBOX_EVENTS.has(e.event)) readSoon();
  });
  // Another tab's sync reports its outbox only through the sync status.
  const sync = store.syncStatus$.subscribe(readSoon);
  onScopeDispose(() => {
    disposed = true;
    events.unsubscribe();
    sync.unsubscribe();
  });
  return status;
}
