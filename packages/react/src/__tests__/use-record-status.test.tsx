import type { DataStoreEvent } from '@offgrid/core';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RecordStatus } from '../use-record-status';
import { useRecordStatus } from '../use-record-status';
import { makeStore, wrapperFor } from './test-store';

afterEach(cleanup);

describe('useRecordStatus', () => {
  it('shows a locally saved record as pending', async () => {
    const store = makeStore();
    const { Todo } = store.models;
    const todo = await store.save(new Todo({ title: 'a', done: false }));
    const { result } = renderHook(() => useRecordStatus(todo), { wrapper: wrapperFor(store) });
    expect(result.current).toBeUndefined();
    await waitFor(() => expect(result.current).toEqual({ status: 'pending' }));
  });

  it('reads again on outbox events for the record, and settles on an empty outbox', async () => {
    const real = makeStore();
    const { Todo } = real.models;
    const todo = await real.save(new Todo({ title: 'a', done: false }));
    const other = await real.save(new Todo({ title: 'b', done: false }));
    const listeners = new Set<(e: DataStoreEvent) => void>();
    const emit = (e: DataStoreEvent) =>
      act(() => {
        for (const l of listeners) l(e);
      });
    let status: RecordStatus = { status: 'pending' };
    const recordStatus = vi.fn(async () => status);
    let counts = { state: 'synced', pending: 1, rejected: 0 };
    const statusListeners = new Set<(s: typeof counts) => void>();
    const store = {
      schema: real.schema,
      recordStatus,
      syncStatus$: {
        subscribe(l: (s: typeof counts) => void) {
          statusListeners.add(l);
          l(counts);
          return { unsubscribe: () => void statusListeners.delete(l) };
        },
      },
      events$: {
        subscribe(l: (e: DataStoreEvent) => void) {
          listeners.add(l);
          return { unsubscribe: () => void listeners.delete(l) };
        },
      },
    };
    const { result, unmount } = renderHook(() => useRecordStatus(todo), { wrapper: wrapperFor(store) });
    await waitFor(() => expect(result.current).toEqual({ status: 'pending' }));
    expect(recordStatus).toHaveBeenCalledTimes(1);

    const element = (r: { id: string; title: string }) => ({ id: r.id, title: r.title });
    emit({ event: 'outboxMutationProcessed', data: { model: 'Todo', element: element(other), operation: 'update' } });
    expect(recordStatus).toHaveBeenCalledTimes(1);

    status = { status: 'rejected', reason: 'Unauthorized' };
    emit({ event: 'outboxMutationFailed', data: { model: 'Todo', element: element(todo), operation: 'update', error: { errorType: 'Unauthorized', message: 'Unauthorized' } } });
    await waitFor(() => expect(result.current).toEqual({ status: 'rejected', reason: 'Unauthorized' }));

    // Another tab's engine sent it: only the shared counts change here.
    status = { status: 'synced' };
    counts = { ...counts, pending: 0 };
    act(() => {
      for (const l of statusListeners) l(counts);
    });
    await waitFor(() => expect(result.current).toEqual({ status: 'synced' }));
    const calls = recordStatus.mock.calls.length;
    counts = { ...counts, pending: 3 };
    act(() => {
      for (const l of statusListeners) l(counts);
    });
    expect(recordStatus).toHaveBeenCalledTimes(calls); // a synced record waits for its own events

    status = { status: 'pending' };
    emit({ event: 'outboxMutationEnqueued', data: { model: 'Todo', element: element(todo), operation: 'update' } });
    await waitFor(() => expect(result.current).toEqual({ status: 'pending' }));
    emit({ event: 'outboxStatus', data: { isEmpty: true, pending: 0 } });
    expect(result.current).toEqual({ status: 'synced' });

    unmount();
    expect(listeners.size).toBe(0);
    expect(statusListeners.size).toBe(0);
  });

  it('is undefined for no record', () => {
    const store = makeStore();
    const { result } = renderHook(() => useRecordStatus(undefined), { wrapper: wrapperFor(store) });
    expect(result.current).toBeUndefined();
  });
});
