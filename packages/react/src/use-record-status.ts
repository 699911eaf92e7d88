import { modelNameOf, type DataStore, type DataStoreEvent } from '@offgrid/core';
import { useEffect, useState } from 'react';
import { useDataStore } from './data-store-context';

/**
 * One record's sync state: `synced`, `pending` (a change waits to be sent), `conflicted` (a change met a
 * conflict and is being retried) or `rejected` (the server refused it; `reason` says why).
 */
export type RecordStatus = Awaited<ReturnType<DataStore['recordStatus']>>;

type Rec = Record<string, unknown>;

/** A record's model and key as one string, or undefined when the model is not in the schema. */
function identityOf(store: DataStore, model: string | undefined, record: Rec): string | undefined {
  const def = model ? store.schema.models[model] : undefined;
  return def && JSON.stringify([model, def.primaryKey.map((f) => record[f])]);
}

function concerns(store: DataStore, identity: string, event: DataStoreEvent): boolean {
  switch (event.event) {
    case 'outboxMutationEnqueued':
    case 'outboxMutationProcessed':
    case 'outboxMutationFailed':
      return identityOf(store, event.data.model, event.data.element) === identity;
    case 'conflict':
      return identity.startsWith(`[${JSON.stringify(event.data.model)},`);
    case 'cleared':
    case 'schemaReset':
      return true;
    default:
      return false;
  }
}

/**
 * The sync state of one record, or `undefined` until it is first read (or for `undefined`). It is read
 * again when the outbox changes for this record (or the pending counts change while it is not synced),
 * so a list can show which rows wait to be sent.
 *
 * @example
 * function TodoRow({ todo }: { todo: Todo }) {
 *   const status = useRecordStatus(todo)
 *   return <li data-pending={status?.status === 'pending'}>{todo.title}{status?.reason}</li>
 * }
 */
export function useRecordStatus(record: object | null | undefined): RecordStatus | undefined {
  const store = useDataStore();
  const identity = record ? identityOf(store, modelNameOf(record), record as Rec) : undefined;
  const [state, setState] = useState<{ identity: string; status: RecordStatus } | undefined>(undefined);

  // Keyed on the record's identity: a new version of the same record (after a save) is the same record here.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `record` only matters through `identity`
  useEffect(() => {
    if (!identity || !record) return;
    let alive = true;
    let latest: RecordStatus | undefined;
    let seq = 0;
    const show = (status: RecordStatus) => {
      latest = status;
      setState((prev) =>
        prev?.identity === identity && prev.status.status === status.status && prev.status.reason === status.reason ? prev : { identity, status },
      );
    };
    const check = () => {
      const n = ++seq;
      store.recordStatus(record).then(
        (status) => alive && n === seq && show(status),
        () => undefined, // the store closed or the record's model went away: keep the last known state
      );
    };
    check();
    const subscription = store.events$.subscribe((event) => {
      if (event.event === 'outboxStatus') {
        // An empty outbox settles every record at once; otherwise only records not yet synced may change.
        if (event.data.isEmpty) {
          seq++;
          show({ status: 'synced' });
        } else if (latest && latest.status !== 'synced') check();
      } else if (concerns(store, identity, event)) check();
    });
    // Another tab may lead sync and send this tab's changes; then only the shared counts tell.
    let counts: string | undefined;
    const statusSubscription = store.syncStatus$.subscribe(({ pending, rejected }) => {
      const next = `${pending}/${rejected}`;
      if (counts !== undefined && next !== counts && latest && latest.status !== 'synced') check();
      counts = next;
    });
    return () => {
      alive = false;
      subscription.unsubscribe();
      statusSubscription.unsubscribe();
    };
  }, [store, identity]);

  return state && state.identity === identity ? state.status : undefined;
}
