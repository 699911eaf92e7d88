import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useDataStore } from '../data-store-context';
import { useQuery, type UseQueryResult } from '../use-query';
import { flushMicrotasks, listenerCount, makeStore, spyObservers, wrapperFor, type Models, type Todo } from './test-store';

afterEach(cleanup);

async function seeded() {
  const store = makeStore();
  const { Todo } = store.models;
  await store.saveMany([
    new Todo({ title: 'b', done: false, priority: 2 }),
    new Todo({ title: 'a', done: true, priority: 1 }),
    new Todo({ title: 'd', done: false, priority: 4 }),
    new Todo({ title: 'c', done: false, priority: 3 }),
  ]);
  return store;
}

const titles = (todos: readonly Todo[]) => todos.map((t) => t.title);

function OpenTodos({ onResult }: { onResult: (result: UseQueryResult<Todo>) => void }) {
  const { Todo } = useDataStore<Models>().models;
  const result = useQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') });
  onResult(result);
  return <span data-testid="open">{titles(result.data).join(',')}</span>;
}

function OpenCount() {
  const { Todo } = useDataStore<Models>().models;
  const { data, isLoading } = useQuery(Todo, (p) => p.done.eq(false));
  return <span data-testid="count">{isLoading ? 'loading' : data.length}</span>;
}

describe('useQuery', () => {
  it('loads, then follows local writes', async () => {
    const store = await seeded();
    const { Todo } = store.models;
    const { result } = renderHook(() => useQuery(Todo, undefined, { sort: (s) => s.title('ASCENDING') }), { wrapper: wrapperFor(store) });
    expect(result.current).toMatchObject({ data: [], isLoading: true, error: undefined });
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    expect(titles(result.current.data)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.current.isSynced).toBe(true);

    await act(() => store.save(new Todo({ title: 'bb', done: false })));
    expect(titles(result.current.data)).toEqual(['a', 'b', 'bb', 'c', 'd']);
    const a = result.current.data[0]!;
    await act(() => store.delete(a));
    expect(titles(result.current.data)).toEqual(['b', 'bb', 'c', 'd']);
  });

  it('applies predicate, sort and limit', async () => {
    const store = await seeded();
    const { Todo } = store.models;
    const { result } = renderHook(() => useQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.priority('DESCENDING'), limit: 2 }), {
      wrapper: wrapperFor(store),
    });
    await waitFor(() => expect(titles(result.current.data)).toEqual(['d', 'c']));
    const d = result.current.data[0]!;
    await act(() => store.save(Todo.copyOf(d, (t) => void (t.done = true))));
    await waitFor(() => expect(titles(result.current.data)).toEqual(['c', 'b']));
  });

  it('accepts a model name and a sort list', async () => {
    const store = await seeded();
    const { result } = renderHook(() => useQuery<Todo>('Todo', undefined, { sort: [{ field: 'title', direction: 'desc' }], limit: 1 }), {
      wrapper: wrapperFor(store),
    });
    await waitFor(() => expect(titles(result.current.data)).toEqual(['d']));
  });

  it('keeps one live query across renders with new predicate functions, and switches when the query changes', async () => {
    const store = await seeded();
    const { Todo } = store.models;
    const { observers } = spyObservers(store);
    const { result, rerender } = renderHook(({ done }: { done: boolean }) => useQuery(Todo, (p) => p.done.eq(done), { sort: (s) => s.title('ASCENDING') }), {
      wrapper: wrapperFor(store),
      initialProps: { done: false },
    });
    await waitFor(() => expect(titles(result.current.data)).toEqual(['b', 'c', 'd']));
    rerender({ done: false });
    rerender({ done: false });
    expect(observers).toHaveLength(1);

    rerender({ done: true });
    await waitFor(() => expect(titles(result.current.data)).toEqual(['a']));
    expect(observers).toHaveLength(2);
    await flushMicrotasks();
    expect(listenerCount(observers[0]!)).toBe(0);
    expect(listenerCount(observers[1]!)).toBe(1);
  });

  it('does not re-render on a write that does not touch its result', async () => {
    const store = await seeded();
    const { Todo, Note } = store.models;
    let renders = 0;
    const seen = new Set<unknown>();
    render(
      <Profiler id="open" onRender={() => renders++}>
        <OpenTodos onResult={(r) => seen.add(r)} />
      </Profiler>,
      { wrapper: wrapperFor(store) },
    );
    await waitFor(() => expect(screen.getByTestId('open').textContent).toBe('b,c,d'));
    const before = renders;
    const resultsBefore = seen.size;

    await act(async () => {
      await store.save(new Note({ text: 'another model' }));
      await store.save(new Todo({ title: 'finished', done: true }));
      const [a] = await store.query(Todo, (p) => p.title.eq('a'));
      await store.save(Todo.copyOf(a!, (t) => void (t.priority = 9)));
    });
    await flushMicrotasks();
    expect(renders).toBe(before);
    expect(seen.size).toBe(resultsBefore);

    await act(() => store.save(new Todo({ title: 'e', done: false })));
    expect(screen.getByTestId('open').textContent).toBe('b,c,d,e');
    expect(renders).toBe(before + 1);
  });

  it('returns the same result object across unrelated re-renders', async () => {
    const store = await seeded();
    const { Todo } = store.models;
    const { result, rerender } = renderHook(() => useQuery(Todo), { wrapper: wrapperFor(store) });
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
    expect(result.current.data).toBe(first.data);
  });

  it('unsubscribes from the observer on unmount', async () => {
    const store = await seeded();
    const { Todo } = store.models;
    const { observers } = spyObservers(store);
    const { result, unmount } = renderHook(() => useQuery(Todo), { wrapper: wrapperFor(store) });
    await waitFor(() => expect(result.current.data).toHaveLength(4));
    expect(observers).toHaveLength(1);
    expect(listenerCount(observers[0]!)).toBe(1);
    unmount();
    await flushMicrotasks();
    expect(listenerCount(observers[0]!)).toBe(0);
  });

  it('is safe under StrictMode double mounting', async () => {
    const store = await seeded();
    const { Todo } = store.models;
    const { observers } = spyObservers(store);
    const { unmount } = render(<OpenCount />, { wrapper: wrapperFor(store, true) });
    await waitFor(() => expect(screen.getByTestId('count').textContent).toBe('3'));
    await act(() => store.save(new Todo({ title: 'x', done: false })));
    expect(screen.getByTestId('count').textContent).toBe('4');
    await flushMicrotasks();
    // StrictMode may build a discarded handle, but only one observer ever runs.
    expect(observers.filter((o) => listenerCount(o) > 0)).toHaveLength(1);
    expect(observers.length).toBeLessThanOrEqual(2);
    unmount();
    await flushMicrotasks();
    expect(observers.map(listenerCount)).toEqual(observers.map(() => 0));
  });

  it('runs nothing when disabled', async () => {
    const store = await seeded();
    const { observers } = spyObservers(store);
    const { result } = renderHook(() => useQuery(store.models.Todo, undefined, { enabled: false }), { wrapper: wrapperFor(store) });
    expect(result.current).toEqual({ data: [], isSynced: true, isLoading: false, error: undefined });
    expect(observers).toHaveLength(0);
  });

  it('reports an unknown model or a bad predicate in error; only a missing provider throws', () => {
    const store = makeStore();
    expect(renderHook(() => useQuery('Nope'), { wrapper: wrapperFor(store) }).result.current.error?.message).toMatch(/Nope/);
    expect(
      renderHook(() => useQuery(store.models.Todo, (p) => (p as any).nope.eq(1)), { wrapper: wrapperFor(store) }).result.current.error?.message,
    ).toMatch(/nope/);
    const quiet = console.error;
    console.error = () => {};
    try {
      expect(() => renderHook(() => useQuery(store.models.Todo))).toThrow(/DataStoreProvider/);
    } finally {
      console.error = quiet;
    }
  });
});
