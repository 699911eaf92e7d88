import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useItem } from '../use-item';
import { makeStore, wrapperFor } from './test-store';

afterEach(cleanup);

describe('useItem', () => {
  it('loads one record by id and follows its updates and delete', async () => {
    const store = makeStore();
    const { Todo } = store.models;
    const saved = await store.save(new Todo({ title: 'one', done: false }));
    await store.save(new Todo({ title: 'other', done: false }));
    const { result } = renderHook(() => useItem(Todo, saved.id), { wrapper: wrapperFor(store) });
    expect(result.current).toEqual({ data: undefined, isLoading: true, error: undefined });
    await waitFor(() => expect(result.current.data?.title).toBe('one'));

    await act(() => store.save(Todo.copyOf(result.current.data!, (d) => void (d.title = 'renamed'))));
    expect(result.current.data?.title).toBe('renamed');
    await act(() => store.delete(Todo, saved.id));
    expect(result.current).toEqual({ data: undefined, isLoading: false, error: undefined });
  });

  it('is undefined for a missing record, then shows it once created', async () => {
    const store = makeStore();
    const { Todo } = store.models;
    const { result } = renderHook(() => useItem(Todo, 'later'), { wrapper: wrapperFor(store) });
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    expect(result.current.data).toBeUndefined();
    await act(() => store.save(new Todo({ id: 'later', title: 'made', done: true })));
    expect(result.current.data?.title).toBe('made');
  });

  it('selects nothing for an undefined key and follows a key change', async () => {
    const store = makeStore();
    const { Todo } = store.models;
    const a = await store.save(new Todo({ title: 'a', done: false }));
    const { result, rerender } = renderHook(({ id }: { id: string | undefined }) => useItem(Todo, id), {
      wrapper: wrapperFor(store),
      initialProps: { id: undefined as string | undefined },
    });
    expect(result.current).toEqual({ data: undefined, isLoading: false, error: undefined });
    rerender({ id: a.id });
    await waitFor(() => expect(result.current.data?.title).toBe('a'));
  });

  it('takes the key fields of a composite primary key', async () => {
    const store = makeStore();
    const { Reading } = store.models;
    await store.saveMany([new Reading({ sensor: 's1', seq: 1, value: 10 }), new Reading({ sensor: 's1', seq: 2, value: 20 })]);
    const { result } = renderHook(() => useItem(Reading, { sensor: 's1', seq: 2 }), { wrapper: wrapperFor(store) });
    await waitFor(() => expect(result.current.data?.value).toBe(20));
    // A key that does not fit is reported, as every binding does.
    expect(renderHook(() => useItem(Reading, 's1'), { wrapper: wrapperFor(store) }).result.current.error?.message).toMatch(/composite key/);
  });
});
