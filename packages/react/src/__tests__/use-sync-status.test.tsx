import type { SyncStatus } from '@offgrid/core';
import { act, cleanup, render, renderHook, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useSyncProgress } from '../use-sync-progress';
import { useSyncStatus } from '../use-sync-status';
import { makeStore, wrapperFor } from './test-store';

afterEach(cleanup);

function Badge() {
  const { state, pending } = useSyncStatus();
  return (
    <span data-testid="badge" data-state={state}>
      {pending}
    </span>
  );
}

/** A BehaviorSubject-like stand-in for a store's `syncStatus$`. */
function fakeStatusStore(initial: SyncStatus) {
  let value = initial;
  const listeners = new Set<(s: SyncStatus) => void>();
  const syncStatus$ = {
    subscribe(next: (s: SyncStatus) => void) {
      listeners.add(next);
      next(value);
      return { unsubscribe: () => void listeners.delete(next) };
    },
  };
  return {
    store: { syncStatus$ },
    listeners,
    next(status: SyncStatus) {
      value = status;
      for (const l of [...listeners]) l(status);
    },
  };
}

describe('useSyncStatus', () => {
  it('reports a local-only store as stopped', async () => {
    const store = makeStore();
    await store.start();
    const { result } = renderHook(() => useSyncStatus(), { wrapper: wrapperFor(store) });
    expect(result.current).toEqual({ state: 'stopped', pending: 0, rejected: 0 });
  });

  it('follows the store status, re-rendering only when it changes', () => {
    const fake = fakeStatusStore({ state: 'offline', pending: 2, rejected: 0 });
    let renders = 0;
    const { unmount } = render(
      <Profiler id="badge" onRender={() => renders++}>
        <Badge />
        <Badge />
      </Profiler>,
      { wrapper: wrapperFor(fake.store) },
    );
    const badges = () => screen.getAllByTestId('badge').map((b) => `${b.dataset.state}:${b.textContent}`);
    expect(badges()).toEqual(['offline:2', 'offline:2']);
    expect(fake.listeners.size).toBe(1); // one shared subscription

    const synced: SyncStatus = { state: 'synced', pending: 0, rejected: 0 };
    act(() => fake.next(synced));
    expect(badges()).toEqual(['synced:0', 'synced:0']);
    const after = renders;
    act(() => fake.next(synced));
    expect(renders).toBe(after);

    unmount();
    expect(fake.listeners.size).toBe(0);
  });

  it('reads the current value when mounting after a change', () => {
    const fake = fakeStatusStore({ state: 'syncing', pending: 1, rejected: 0 });
    const first = renderHook(() => useSyncStatus(), { wrapper: wrapperFor(fake.store) });
    first.unmount();
    fake.next({ state: 'synced', pending: 0, rejected: 1 });
    const { result } = renderHook(() => useSyncStatus(), { wrapper: wrapperFor(fake.store) });
    expect(result.current).toEqual({ state: 'synced', pending: 0, rejected: 1 });
  });
});

function FirstSyncBar() {
  const { syncing, fullSync, applied, total, models } = useSyncProgress();
  if (!syncing || !fullSync) return <span data-testid="bar">hidden</span>;
  return (
    <progress data-testid="bar" value={applied} max={total}>
      {`${applied}/${total ?? '?'} (Todo ${models.Todo?.received ?? 0} received)`}
    </progress>
  );
}

describe('useSyncProgress', () => {
  it('shows a first sync page by page and hides the bar when it ends', () => {
    const fake = fakeStatusStore({ state: 'syncing', pending: 0, rejected: 0, progress: { Todo: { received: 0, applied: 0, done: false } } });
    let renders = 0;
    render(
      <Profiler id="bar" onRender={() => renders++}>
        <FirstSyncBar />
      </Profiler>,
      { wrapper: wrapperFor(fake.store) },
    );
    const bar = () => screen.getByTestId('bar');
    // Waiting for the first page: no kind of sync known yet, so no bar.
    expect(bar().textContent).toBe('hidden');

    act(() => fake.next({ state: 'syncing', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 1000, applied: 0, total: 8000, done: false } } }));
    expect(bar().textContent).toBe('0/8000 (Todo 1000 received)');
    act(() => fake.next({ state: 'syncing', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 1000, applied: 1000, total: 8000, done: false } } }));
    expect(bar().getAttribute('value')).toBe('1000');
    expect(bar().getAttribute('max')).toBe('8000');

    // The same status again: the same snapshot, no render.
    const before = renders;
    const same: SyncStatus = { state: 'syncing', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 2000, applied: 2000, total: 8000, done: false } } };
    act(() => fake.next(same));
    const after = renders;
    expect(after).toBe(before + 1);
    act(() => fake.next(same));
    expect(renders).toBe(after);

    act(() => fake.next({ state: 'synced', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 8000, applied: 8000, total: 8000, done: true } } }));
    expect(bar().textContent).toBe('hidden');
  });

  it('reads a real store that never synced as done, with no models', async () => {
    const store = makeStore();
    await store.start();
    const { result } = renderHook(() => useSyncProgress(), { wrapper: wrapperFor(store) });
    expect(result.current).toEqual({ received: 0, applied: 0, total: 0, done: true, syncing: false, fullSync: false, models: {} });
  });
});
