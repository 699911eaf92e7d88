import type { RecordSyncStatus } from '@offgrid/core';
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { isServerRendering } from './follow-query';
import { injectStore } from './use-data-store';

/** One record's sync state, as `store.recordStatus$` reports it. */
export type RecordStatus = RecordSyncStatus;

/**
 * A record's sync state as a ref: `pending` while a change to it waits for the server, then `synced`
 * (or `conflicted` / `rejected` with a reason). Undefined until first read and while `record` is empty.
 * The record may be a ref or getter; the ref follows the store's `recordStatus$` stream for it.
 *
 * @example
 * const props = defineProps<{ todo: Todo }>()
 * const status = useRecordStatus(() => props.todo)
 * const pending = computed(() => status.value?.status === 'pending')
 */
export function useRecordStatus(record: MaybeRefOrGetter<object | null | undefined>): Readonly<ShallowRef<RecordStatus | undefined>> {
  const store = injectStore('useRecordStatus');
  const status: ShallowRef<RecordStatus | undefined> = shallowRef();
  // A record's status is read from storage: on a server there is nothing to show yet, and nothing may follow.
  if (isServerRendering()) return status;
  let subscription: { unsubscribe(): void } | undefined;
  watch(
    () => toValue(record),
    (target) => {
      subscription?.unsubscribe();
      subscription = undefined;
      if (!target) {
        status.value = undefined;
        return;
      }
      subscription = store.recordStatus$(target).subscribe((next) => {
        status.value = next;
      });
    },
    { immediate: true },
  );
  onScopeDispose(() => subscription?.unsubscribe());
  return status;
}
