import type { ModelSyncRefusedError, OffgridError } from '../errors';
import type { OutboxEntry } from '../outbox/outbox-entry';
import type { ModelSyncProgress } from '../sync/sync-progress';

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
  | {
      event: 'outboxMutationFailed';
      data: { model: string; element: Record<string, unknown>; operation: OutboxEntry['operation']; error: { errorType: string; message: string } };
    }
  | { event: 'outboxStatus'; data: { isEmpty: boolean; pending: number } }
  | { event: 'networkStatus'; data: { active: boolean } }
  | { event: 'subscriptionsEstablished'; data: Record<string, never> }
  | { event: 'syncQueriesStarted'; data: { models: string[] } }
  | {
      event: 'modelSynced';
      data: { model: string; isFullSync: boolean; isDeltaSync: boolean; counts: { new: number; updated: number; deleted: number } };
    }
  /**
   * A model's sync moved on: it started, a page arrived (`received`), a page was written (`applied`), or it
   * finished (`done`). `total` is set when the server can tell it. Offgrid's own; the same figures are in
   * `syncStatus$.progress`.
   */
  | { event: 'syncProgress'; data: { model: string } & ModelSyncProgress }
  | { event: 'syncQueriesReady'; data: Record<string, never> }
  /** The server refused to sync `model` to these credentials; reported once, retried when they change or on `resync()`. */
  | { event: 'modelSyncRefused'; data: { model: string; message: string; error: ModelSyncRefusedError } }
  | { event: 'syncLimitReached'; data: { model: string; limit: number } }
  | { event: 'conflict'; data: { model: string; key: string; operation: OutboxEntry['operation']; attempts: number; resolution: 'retry' | 'discard' | 'dead-letter' } }
  /** Sync failed and will retry after `retryInMs`; `error` says why (`SYNC_NETWORK`, `SYNC_UNAUTHORIZED`, `SYNC_FAILED`). */
  | { event: 'syncError'; data: { message: string; retryInMs: number; error: OffgridError } }
  /**
   * Local data was deleted: by `clear()`, or (`reason: 'userChanged'`) because the signed-in user changed
   * or signed out, so the next user never sees the previous one's records; `discarded` are the unsent changes.
   */
  | { event: 'cleared'; data: { discarded: OutboxEntry[]; reason?: 'clear' | 'userChanged' } }
  | { event: 'schemaReset'; data: { reasons: string[]; discarded: OutboxEntry[] } }
  | { event: 'storageError'; data: { operation: string; error: Error } };

export type DataStoreEventName = DataStoreEvent['event'];
