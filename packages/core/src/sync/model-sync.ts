import { predicateToFilter, type ModelDefinition, type NormalizedSchema, type PredicateNode } from '@offgrid/schema';
import { ModelSyncRefusedError, SyncRequestError } from '../errors';
import type { AuthProvider } from './auth-providers';
import { refusalOf } from './sync-error';
import type { ApplyCounts, FullSyncRun, SyncBridge } from '../datastore/sync-bridge';
import type { DataStoreEvent } from '../events/datastore-event';
import type { GraphQLClient } from './graphql-client';
import { modelDocuments } from './graphql-documents';
import type { ModelSyncProgress } from './sync-progress';

/** What the store remembers about a model's last sync. */
export interface SyncCursor {
  /** The `startedAt` of the last completed sync: the next delta sync's `lastSync`. */
  lastSync: number;
  /** When the last full sync finished (epoch ms), for `fullSyncInterval`. */
  lastFullSync: number;
  /** The sync expression the cursor was made with; a different one forces a full sync. */
  filterKey: string;
}

interface SyncResponse {
  items: Record<string, unknown>[];
  nextToken: string | null;
  startedAt: number;
  isFullSync: boolean | null;
  /** Offgrid's server: on the first page, how many records the whole sync hands out (null when it cannot tell). */
  total?: number | null;
}

export const cursorMetaName = (model: string) => `sync:cursor:${model}`;

/**
 * One model's base or delta sync: pages are applied in batched transactions, the cursor is stored in the
 * same transaction as the last page, and a full sync removes local records the server no longer has.
 */
export async function syncModel(
  schema: NormalizedSchema,
  model: ModelDefinition,
  client: GraphQLClient,
  bridge: SyncBridge,
  options: {
    pageSize: number;
    filter?: PredicateNode;
    maxRecords?: number;
    fullSyncInterval: number;
    now: () => number;
    signal?: AbortSignal;
    /** The credential to sync with (multi-auth); default: the client's default. */
    provider?: AuthProvider;
    /** Told at the start, after each page arrives, after it is written, and at the end. */
    onProgress?: (progress: ModelSyncProgress) => void;
  },
  emit: (event: DataStoreEvent) => void,
): Promise<void> {
  const docs = modelDocuments(schema, model);
  const filter = options.filter ? predicateToFilter(options.filter) : null;
  const filterKey = JSON.stringify(filter);
  const cursor = await bridge.getMeta<SyncCursor>(cursorMetaName(model.name));
  const fullDue = !cursor || cursor.filterKey !== filterKey || options.now() - cursor.lastFullSync > options.fullSyncInterval;
  const lastSync = fullDue ? null : cursor.lastSync;
  let nextToken: string | null = null;
  let startedAt = 0;
  let isFullSync = lastSync === null;
  let received = 0;
  let run: FullSyncRun | undefined;
  const totals: ApplyCounts = { new: 0, updated: 0, deleted: 0, skipped: 0 };
  // The kind this client asks for; the server's first page says what it is (an expired cursor gets a full sync).
  const progress: ModelSyncProgress = { type: lastSync === null ? 'full' : 'delta', received: 0, applied: 0, done: false };
  const report = () => options.onProgress?.({ ...progress });
  report();
  const fetchPage = (token: string | null) =>
    client.request<Record<string, SyncResponse>>(docs.sync, { limit: options.pageSize, nextToken: token, lastSync, filter }, options.signal, options.provider);
  let page: SyncResponse;
  let fetching = fetchPage(null);
  try {
    do {
      const response = await fetching;
      const data = response.data?.[docs.syncField];
      if (!data) {
        // The caller may not read this model: the engine reports it and syncs the others.
        const refusal = refusalOf(response.errors ?? []);
        if (refusal) throw new ModelSyncRefusedError(model.name, refusal);
      }
      if (!data) throw new SyncRequestError(`${docs.syncField} failed: ${response.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
      if (response.errors?.length) {
        // Records the server could not serialise come back as null; say so instead of dropping them quietly.
        const error = new SyncRequestError(`${docs.syncField}: ${response.errors.map((e) => e.message).join('; ')}`);
        emit({ event: 'syncError', data: { message: error.message, retryInMs: 0, error } });
      }
      page = data;
      startedAt = page.startedAt;
      isFullSync = page.isFullSync ?? isFullSync;
      let items = page.items.filter(Boolean);
      if (options.maxRecords !== undefined && received + items.length > options.maxRecords) {
        items = items.slice(0, options.maxRecords - received);
        page = { ...page, nextToken: null };
        emit({ event: 'syncLimitReached', data: { model: model.name, limit: options.maxRecords } });
      }
      received += items.length;
      progress.type = isFullSync ? 'full' : 'delta';
      progress.received = received;
      if (typeof page.total === 'number') progress.total = options.maxRecords !== undefined ? Math.min(page.total, options.maxRecords) : page.total;
      report();
      nextToken = page.nextToken;
      const done = !nextToken;
      if (nextToken) {
        // Ask for the next page before writing this one: the server reads and sends it while this page is
        // stored, instead of the two waiting on each other. Pages are still applied in order, one at a time.
        fetching = fetchPage(nextToken);
        // Handled where it is awaited; this keeps a failure that outruns a failed write from going unhandled.
        fetching.catch(() => undefined);
      }
      const meta = done
        ? { name: cursorMetaName(model.name), value: { lastSync: startedAt, lastFullSync: isFullSync ? options.now() : (cursor?.lastFullSync ?? 0), filterKey } satisfies SyncCursor }
        : undefined;
      // Begun before this page's transaction is asked for, so the bridge notes every other write from here on.
      if (isFullSync) run ??= bridge.beginFullSync(model.name);
      const counts = await bridge.applyRemote(model.name, items, meta, isFullSync ? run : undefined);
      totals.new += counts.new;
      totals.updated += counts.updated;
      totals.deleted += counts.deleted;
      progress.applied += items.length;
      report();
    } while (nextToken);
    // A truncated full sync (maxRecordsToSync) must not delete what it did not get to see.
    if (run && isFullSync && received <= (options.maxRecords ?? Number.POSITIVE_INFINITY) && !(options.maxRecords !== undefined && received >= options.maxRecords)) {
      totals.deleted += await bridge.reconcile(run);
    }
  } finally {
    if (run) bridge.endFullSync(run);
  }
  progress.done = true;
  report();
  emit({ event: 'modelSynced', data: { model: model.name, isFullSync, isDeltaSync: !isFullSync, counts: { new: totals.new, updated: totals.updated, deleted: totals.deleted } } });
}
