import type { SyncProgressState } from '@offgrid/core';

/** Below this many records a first sync is over before a bar could be read: the demo shows none. */
export const LARGE_SYNC = 500;

/** What the demo's first-sync bar shows (`sync-progress` in the DOM contract). */
export interface FirstSyncBar {
  visible: boolean;
  /** Records written locally so far. */
  value: number;
  /** The records the sync will bring, when the server told; undefined: an indeterminate bar. */
  max: number | undefined;
  label: string;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The bar every demo app shows while a large first (full) sync runs: records applied of the total, or
 * only the count when the server cannot tell the total. Hidden for delta syncs and small first syncs (no
 * flash of a bar for a sync that is over at once).
 *
 * @example
 * const bar = firstSyncBar(useSyncProgress())
 * // {bar.visible && <progress data-testid={TEST_IDS.syncProgress} value={bar.value} max={bar.max}>{bar.label}</progress>}
 */
export function firstSyncBar(progress: SyncProgressState): FirstSyncBar {
  const { syncing, fullSync, applied, total } = progress;
  // Until every model's total is known (a later model still waits for its first page), or where the server
  // cannot tell it, a sync counts as large once it has brought that many records.
  const large = (total ?? applied) >= LARGE_SYNC;
  return {
    visible: syncing && fullSync && large,
    value: applied,
    max: total,
    label: total === undefined ? `Downloading your todos: ${count(applied)}` : `Downloading your todos: ${count(applied)} of ${count(total)}`,
  };
}
