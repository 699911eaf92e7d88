import type { OutboxEntry } from '../outbox/outbox-entry';

/**
 * Events on `store.events$`, named as Amplify's Hub `datastore` channel names them where they apply.
 *
 * @example
 * store.events$.subscribe((e) => { if (e.event === 'outboxStatus') setPending(!e.data.isEmpty) })
 */
export type DataStoreEvent =
  | { event: 'ready'; data: Record<string, never> }
  | { event: 'outboxMutationEnqueued'; data: { model: string; element: Record<string, unknown>; operation: OutboxEntry['operation'] } }
  | { event: 'outboxMutationProcessed'; data: { model: string; element: Record<string, unknown>; operation: OutboxEntry['operation'] } }
  | { event: 'outboxStatus'; data: { isEmpty: boolean; pending: number } }
  | { event: 'cleared'; data: { discarded: OutboxEntry[] } }
  | { event: 'schemaReset'; data: { reasons: string[]; discarded: OutboxEntry[] } }
  | { event: 'storageError'; data: { operation: string; error: Error } };

export type DataStoreEventName = DataStoreEvent['event'];
