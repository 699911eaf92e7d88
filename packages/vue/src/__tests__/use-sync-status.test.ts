import type { DataStore, SyncStatus } from '@offgrid/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useSyncProgress } from '../use-sync-progress';
import { useSyncStatus } from '../use-sync-status';
import { createTestStore, runInScope, type Models } from './test-store';

let store: DataStore<Models>;
beforeEach(() => {
  store = createTestStore();
});
afterEach(() => store.close());

/** Stands in for a sync engine's status: the binding only subscribes to `syncStatus$`. */
function fakeStatus(initial: SyncStatus) {
  const listeners = new Set<(s: SyncStatus) => void>();
  return {
    listeners,
    next: (s: SyncStatus) => {
      for (const l of listeners) l(s);
    },
    observable: {
      subscribe(listener: (s: SyncStatus) => void) {
        listeners.add(listener);
        listener(initial);
        return { unsubscribe: () => listeners.delete(listener) };
      },
    },
  };
}

describe('useSyncStatus', () => {
  it("starts with the store's status", () => {
    const { result } = runInScope(store, () => useSyncStatus());
    expect(result.value).toEqual({ state: 'stopped', pending: 0, rejected: 0 });
  });

  it('follows the status until the scope stops', () => {
    const status = fakeStatus({ state: 'syncing', pending: 2, rejected: 0 });
    Object.defineProperty(store, 'syncStatus$', { value: status.observable });
    const { result, scope } = runInScope(store, () => useSyncStatus());
    expect(result.value.state).toBe('syncing');

    status.next({ state: 'offline', pending: 3, rejected: 1, error: 'fetch failed' });
    expect(result.value).toEqual({ state: 'offline', pending: 3, rejected: 1, error: 'fetch failed' });
    expect(status.listeners.size).toBe(1);

    scope.stop();
    expect(status.listeners.size).toBe(0);
    status.next({ state: 'synced', pending: 0, rejected: 0 });
    expect(result.value.state).toBe('offline');
  });
});

describe('useSyncProgress', () => {
  it('sums the sync progress of the status it follows, until the scope stops', () => {
    const status = fakeStatus({ state: 'syncing', pending: 0, rejected: 0, progress: { List: { received: 0, applied: 0, done: false }, Todo: { received: 0, applied: 0, done: false } } });
    Object.defineProperty(store, 'syncStatus$', { value: status.observable });
    const { result, scope } = runInScope(store, () => useSyncProgress());
    expect(result.value).toMatchObject({ received: 0, applied: 0, total: undefined, syncing: true, fullSync: false, done: false });

    status.next({
      state: 'syncing',
      pending: 0,
      rejected: 0,
      progress: { List: { type: 'full', received: 3, applied: 3, total: 3, done: true }, Todo: { type: 'full', received: 2000, applied: 1000, total: 8000, done: false } },
    });
    expect(result.value).toMatchObject({ received: 2003, applied: 1003, total: 8003, syncing: true, fullSync: true, done: false });
    expect(result.value.models.Todo).toEqual({ type: 'full', received: 2000, applied: 1000, total: 8000, done: false });

    scope.stop();
    expect(status.listeners.size).toBe(0);
  });
});
