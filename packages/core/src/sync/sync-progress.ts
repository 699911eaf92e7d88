import type { SyncStatus } from './sync-engine';

/**
 * One model's progress in the current (or last) sync, in `syncStatus$.progress` and `syncProgress` events.
 *
 * `received` counts records as the server's pages arrive, `applied` as they are written locally (a page is
 * received, then applied in one transaction, so `applied` trails `received` by at most one page). Both only
 * grow during a sync and restart at 0 with the next one.
 *
 * @example
 * const p = status.progress?.Todo
 * if (p?.total) bar.value = p.applied / p.total
 */
export interface ModelSyncProgress {
  /**
   * `'full'`: a base sync, everything the server holds for the model (the first sync, or one after the
   * cursor expired); `'delta'`: only what changed since the last sync. Undefined while the model waits for
   * its turn (models sync one after another, parents first).
   */
  type?: 'full' | 'delta';
  /** Records received from the server in this sync so far. */
  received: number;
  /**
   * Records of those processed into local storage: written, deleted, or left alone because the local copy
   * is newer or a local change to it is pending.
   */
  applied: number;
  /**
   * How many records this sync of the model hands out, all pages together, when the server can tell it
   * exactly: Offgrid's server counts it when the caller may read every record of the model and no sync
   * expression filters it. Undefined otherwise (owner or group-field rules that filter record by record, a
   * sync expression, another server): show the count without a bar then. With `maxRecordsToSync` it is at
   * most that limit. Records changed on the server during the sync come by subscription instead, so a sync
   * may end a little below its total; `done` says when it ended.
   */
  total?: number;
  /** This model's sync has finished (its cursor is stored). */
  done: boolean;
}

/** Per model name: its progress in the current or last sync. */
export type SyncProgress = Record<string, ModelSyncProgress>;

/** Every model's progress added up, for one progress bar. */
export interface SyncProgressSummary {
  received: number;
  applied: number;
  /**
   * The sum of the models' totals, once every model still syncing or waiting has one (a finished model
   * counts what it applied); undefined while any does not (show an indeterminate bar then).
   */
  total: number | undefined;
  /** Every model in the sync has finished. */
  done: boolean;
}

/**
 * Adds up the per-model progress of a sync, for one progress bar across models.
 *
 * @example
 * const { applied, total, done } = summarizeSyncProgress(status.progress)
 * const percent = total ? Math.round((100 * applied) / total) : undefined
 */
export function summarizeSyncProgress(progress: SyncProgress | undefined): SyncProgressSummary {
  let received = 0;
  let applied = 0;
  let total: number | undefined = 0;
  let done = true;
  for (const p of Object.values(progress ?? {})) {
    received += p.received;
    applied += p.applied;
    if (!p.done) done = false;
    // A finished model counts what it applied, so the bar ends full even if it ended below its total.
    const modelTotal = p.done ? p.applied : p.total;
    total = total === undefined || modelTotal === undefined ? undefined : total + modelTotal;
  }
  return { received, applied, total, done };
}

/** What a progress bar reads: the summary across models, each model's figures, and whether a sync runs. */
export interface SyncProgressState extends SyncProgressSummary {
  /** Per model (empty before the first sync). */
  models: SyncProgress;
  /** A sync is under way: the store is `syncing` and some model has not finished. */
  syncing: boolean;
  /** Some model of the running sync is a full (base) sync: the long first sync a bar is for. */
  fullSync: boolean;
}

const EMPTY: SyncProgress = Object.freeze({}) as SyncProgress;
const states = new WeakMap<SyncStatus, SyncProgressState>();

/**
 * The sync progress in a sync status, summed across models. The same status object always gives the same
 * (frozen) result, so bindings can hand it to a framework that compares by identity.
 *
 * @example
 * const p = syncProgressOf(store.currentStatus)
 * if (p.syncing && p.fullSync) showBar(p.applied, p.total)
 */
export function syncProgressOf(status: SyncStatus): SyncProgressState {
  let state = states.get(status);
  if (!state) {
    const models = status.progress ?? EMPTY;
    const summary = summarizeSyncProgress(models);
    const running = Object.values(models).filter((p) => !p.done);
    state = Object.freeze({
      ...summary,
      models,
      syncing: status.state === 'syncing' && running.length > 0,
      fullSync: running.some((p) => p.type === 'full'),
    });
    states.set(status, state);
  }
  return state;
}
