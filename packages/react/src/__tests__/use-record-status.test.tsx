import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

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

  it('follows the store: pending, then synced when the outbox empties; unsubscribes on unmount', async () => {
    const store = makeStore();
    const { Todo } = store.models;
    const todo = await store.save(new Todo({ title: 'a', done: false }));
    const { result, unmount } = renderHook(() => useRecordStatus(todo), { wrapper: wrapperFor(store) });
    await waitFor(() => expect(result.current).toEqual({ status: 'pending' }));
    await act(async () => {
      await store.clear();
    });
    await waitFor(() => expect(result.current).toEqual({ status: 'synced' }));
    unmount();
  });

  it('is undefined for no record', () => {
    const store = makeStore();
    const { result } = renderHook(() => useRecordStatus(undefined), { wrapper: wrapperFor(store) });
    expect(result.current).toBeUndefined();
  });
});
