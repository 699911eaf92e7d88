import type { DataStoreEvent } from '@offgrid/core';
import { readable, type Readable } from 'svelte/store';
import type { AnyDataStore } from './types.js';

/** One record's sync state, as `store.recordStatus(record)` reports it. */
export type RecordStatus = Awaited<ReturnType<AnyDataStore['recordStatus']>>;

/** Events after which a record's outbox entries may have changed. */
const OUTBOX_EVENTS = new Set<DataStoreEvent['event']>([
  'outboxMutationEnqueued',
  'outboxMutationProcessed',
  'outboxMutationFailed',
  'outboxStatus',
  'conflict',
  'cleared',
]);

/**
 * One record's sync state as a Svelte store: `undefined` until first read, then `synced`, `pending`,
 * `conflicted` or `rejected` (with the server's reason), read again whenever the outbox changes.
 *
 * @example
 * const status = recordStatusStore(store, todo)
 * // <li data-pending={$status?.status === 'pending'}>...</li>
 */
export function recordStatusStore(store: AnyDataStore, record: object): Readable<RecordStatus | undefined> {
  return readable<RecordStatus | undefined>(undefined, (set) => {
    let latest = 0;
    const read = () => {
      const call = ++latest;
      store.recordStatus(record).then(
        (status) => call === latest && set(status),
        () => undefined, // a closed store has no status to report; keep the last one
      );
    };
    read();
    const subscription = store.events$.subscribe((e) => OUTBOX_EVENTS.has(e.event) && read());
    return () => {
      latest = -1;
      subscription.unsubscribe();
    };
  });
}
