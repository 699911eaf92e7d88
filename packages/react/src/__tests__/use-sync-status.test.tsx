import type { SyncStatus } from '@offgrid/core';
import { act, cleanup, render, renderHook, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
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
