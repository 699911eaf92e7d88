import { syncProgressOf, type SyncStatus } from '@offgrid/core';
import { describe, expect, it } from 'vitest';
import { firstSyncBar, LARGE_SYNC } from './first-sync-bar';

const status = (progress: SyncStatus['progress'], state: SyncStatus['state'] = 'syncing'): SyncStatus => ({ state, pending: 0, rejected: 0, progress });

describe('firstSyncBar', () => {
  it('shows a large first sync as records applied of the total, and hides when it ends', () => {
    const running = firstSyncBar(syncProgressOf(status({ TodoList: { type: 'full', received: 2, applied: 2, total: 2, done: true }, Todo: { type: 'full', received: 2000, applied: 1000, total: 8000, done: false } })));
    expect(running).toEqual({ visible: true, value: 1002, max: 8002, label: 'Downloading your todos: 1,002 of 8,002' });
    const ended = firstSyncBar(syncProgressOf(status({ Todo: { type: 'full', received: 8000, applied: 8000, total: 8000, done: true } }, 'synced')));
    expect(ended.visible).toBe(false);
  });

  it('counts without a total when the server cannot tell it; hides delta syncs and small first syncs', () => {
    expect(firstSyncBar(syncProgressOf(status({ Todo: { type: 'full', received: 300, applied: 300, done: false } }))).visible).toBe(false);
    expect(firstSyncBar(syncProgressOf(status({ Todo: { type: 'full', received: 900, applied: 600, done: false } })))).toMatchObject({ visible: true, max: undefined, label: 'Downloading your todos: 600' });
    // The lists are done, the todos wait for their first page: not yet known to be large.
    expect(firstSyncBar(syncProgressOf(status({ TodoList: { type: 'full', received: 3, applied: 3, total: 3, done: true }, Todo: { received: 0, applied: 0, done: false } }))).visible).toBe(false);
    expect(firstSyncBar(syncProgressOf(status({ Todo: { type: 'delta', received: 0, applied: 0, total: 5000, done: false } }))).visible).toBe(false);
    expect(firstSyncBar(syncProgressOf(status({ Todo: { type: 'full', received: 0, applied: 0, total: LARGE_SYNC - 1, done: false } }))).visible).toBe(false);
  });
});
