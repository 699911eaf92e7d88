import { modelKeyOf, type NormalizedSchema } from '@offgrid/schema';
import { Observable } from 'rxjs';
import type { DataStoreEvent } from '../events/datastore-event';
import type { RecordSyncStatus } from '../outbox/dead-letter-queue';
import type { SyncStatus } from '../sync/sync-engine';

/** What the stream needs from the store. */
export interface RecordStatusSource {
  schema: NormalizedSchema;
  events$: Observable<DataStoreEvent>;
  syncStatus$: Observable<SyncStatus>;
  read(): Promise<RecordSyncStatus>;
}

type Rec = Record<string, unknown>;

/** Whether an event can change the status of the record with this model and key. */
function concerns(source: RecordStatusSource, model: string, key: string, event: DataStoreEvent): boolean {
  switch (event.event) {
    case 'outboxMutationEnqueued':
    case 'outboxMutationProcessed':
    case 'outboxMutationFailed': {
      const def = source.schema.models[event.data.model];
      if (event.data.model !== model || !def) return false;
      try {
        return modelKeyOf(def, event.data.element) === key;
      } catch {
        return false;
      }
    }
    case 'conflict':
      return event.data.model === model && event.data.key === key;
    case 'cleared':
    case 'schemaReset':
      return true;
    default:
      return false;
  }
}

/**
 * One record's sync status as a stream: the current value at once, then a new value whenever an event for
 * this record (or the shared counts, when another tab leads sync) may have changed it. Reads are coalesced,
 * a late answer never overwrites a newer one, and an unchanged status is not emitted again. Bindings only
 * bridge this to their framework.
 */
export function recordStatusStream(source: RecordStatusSource, model: string, record: Rec): Observable<RecordSyncStatus> {
  const key = modelKeyOf(source.schema.models[model]!, record);
  return new Observable<RecordSyncStatus>((subscriber) => {
    let latest: RecordSyncStatus | undefined;
    let reads = 0;
    let queued = false;
    const show = (status: RecordSyncStatus) => {
      if (latest && latest.status === status.status && latest.reason === status.reason) return;
      latest = status;
      subscriber.next(status);
    };
    const read = () => {
      queued = false;
      const mine = ++reads;
      source.read().then(
        (status) => {
          if (mine === reads && !subscriber.closed) show(status);
        },
        // The store closed or the model went away: keep the last known state.
        () => undefined,
      );
    };
    // Several events arrive together (enqueued, then outbox status): one read answers them all.
    const readSoon = () => {
      if (queued) return;
      queued = true;
      queueMicrotask(read);
    };
    read();
    const events = source.events$.subscribe((event) => {
      if (event.event === 'outboxStatus') {
        // An empty outbox settles every record at once; otherwise only a record not yet synced may change.
        if (event.data.isEmpty) {
          reads++;
          show({ status: 'synced' });
        } else if (latest?.status !== 'synced') readSoon();
      } else if (concerns(source, model, key, event)) readSoon();
    });
    // When another tab leads sync, only the shared counts say that this tab's changes were sent.
    let counts: string | undefined;
    const status = source.syncStatus$.subscribe(({ pending, rejected }) => {
      const next = `${pending}/${rejected}`;
      if (counts !== undefined && next !== counts && latest?.status !== 'synced') readSoon();
      counts = next;
    });
    return () => {
      events.unsubscribe();
      status.unsubscribe();
    };
  });
}
