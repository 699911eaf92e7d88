import { modelNameOf, type RecordSyncStatus } from '@offgrid/core';
import { useEffect, useState } from 'react';
import { useDataStore } from './data-store-context';

/**
 * One record's sync state: `synced`, `pending` (a change waits to be sent), `conflicted` (a change met a
 * conflict and is being retried) or `rejected` (the server refused it; `reason` says why).
 */
export type RecordStatus = RecordSyncStatus;

/** A record's model and key as one string: a new version of the same record (after a save) is the same record. */
function identityOf(model: string | undefined, keyFields: readonly string[] | undefined, record: Record<string, unknown>): string | undefined {
  return model && keyFields ? JSON.stringify([model, keyFields.map((f) => record[f])]) : undefined;
}

/**
 * The sync state of one record, or `undefined` until it is first read (or for `undefined`): a bridge to
 * the store's `recordStatus$` stream, so a list can show which rows wait to be sent.
 *
 * @example
 * function TodoRow({ todo }: { todo: Todo }) {
 *   const status = useRecordStatus(todo)
 *   return <li data-pending={status?.status === 'pending'}>{todo.title}{status?.reason}</li>
 * }
 */
export function useRecordStatus(record: object | null | undefined): RecordStatus | undefined {
  const store = useDataStore();
  const model = record ? modelNameOf(record) : undefined;
  const identity = record ? identityOf(model, model ? store.schema.models[model]?.primaryKey : undefined, record as Record<string, unknown>) : undefined;
  const [state, setState] = useState<{ identity: string; status: RecordStatus } | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `record` only matters through `identity`
  useEffect(() => {
    if (!identity || !record) return;
    const subscription = store.recordStatus$(record).subscribe((status) => setState({ identity, status }));
    return () => subscription.unsubscribe();
  }, [store, identity]);

  return state && state.identity === identity ? state.status : undefined;
}
