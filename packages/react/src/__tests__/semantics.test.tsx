import { StoreStateError } from '@offgrid/core';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { Component, type ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useDataStore } from '../data-store-context';
import { useItem } from '../use-item';
import { useQuery } from '../use-query';
import { flushMicrotasks, gatedStore, makeStore, wrapperFor, type Models } from './test-store';

afterEach(cleanup);

class Boundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    return this.state.error ? <p data-testid="caught">{this.state.error.message}</p> : this.props.children;
  }
}
function Bad() {
  const { Todo } = useDataStore<Models>().models;
  useQuery(Todo, undefined, { limit: 0, throwOnError: true });
  return null;
}

function Row() {
  const { Todo } = useDataStore<Models>().models;
  const { data } = useQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') });
  return <li>{data.length}</li>;
}

const ROWS = Array.from({ length: 30 }, (_, i) => `row-${i}`);

/** The semantics every binding shares (docs/guide/live-queries.md#one-behaviour-in-every-binding). */
describe('useQuery and useItem: the shared semantics', () => {
  it('an invalid query is reported in error with no rows, never the previous query rows', async () => {
    const store = makeStore();
    const { Todo } = store.models;
    await store.save(new Todo({ title: 'a', done: false }));
    const { result, rerender } = renderHook(({ bad }: { bad: boolean }) => useQuery(Todo, bad ? (p) => (p as any).nope.eq(1) : undefined), {
      wrapper: wrapperFor(store),
      initialProps: { bad: false },
    });
    await waitFor(() => expect(result.current.data).toHaveLength(1));
    rerender({ bad: true });
    expect(result.current.error?.message).toMatch(/nope/);
    expect(result.current.data).toEqual([]);
    expect(result.current.isLoading).toBe(false);
  });

  it('throwOnError hands the error to the nearest error boundary', () => {
    const store = makeStore();
    const quiet = console.error;
    console.error = () => {};
    try {
      render(
        <Boundary>
          <Bad />
        </Boundary>,
        { wrapper: wrapperFor(store) },
      );
    } finally {
      console.error = quiet;
    }
    // The limit error names the hook the user called, not a core function.
    expect(screen.getByTestId('caught').textContent).toMatch(/^Todo: useQuery limit must be a positive integer, got 0/);
  });

  it('switching queries keeps the previous rows, marked loading, until the new ones arrive (no empty blink)', async () => {
    const gated = gatedStore();
    const { Todo } = gated.store.models;
    await gated.store.saveMany([new Todo({ title: 'open', done: false }), new Todo({ title: 'done', done: true })]);
    const seen: string[] = [];
    const { result, rerender } = renderHook(
      ({ done }: { done: boolean }) => {
        const r = useQuery(Todo, (p) => p.done.eq(done));
        seen.push(`${r.isLoading ? 'loading' : 'ready'}:${r.data.map((t) => t.title).join(',')}`);
        return r;
      },
      { wrapper: wrapperFor(gated.store), initialProps: { done: false } },
    );
    await waitFor(() => expect(result.current.data.map((t) => t.title)).toEqual(['open']));
    gated.hold();
    seen.length = 0;
    rerender({ done: true });
    expect(result.current.isLoading).toBe(true);
    expect(result.current.data.map((t) => t.title)).toEqual(['open']);
    await act(async () => gated.release());
    await waitFor(() => expect(result.current.data.map((t) => t.title)).toEqual(['done']));
    expect(seen).not.toContain('loading:');
    expect(seen).not.toContain('ready:');
  });

  it('a null or undefined id selects nothing, without error', () => {
    const store = makeStore();
    for (const id of [null, undefined]) {
      const { result } = renderHook(() => useItem(store.models.Todo, id), { wrapper: wrapperFor(store) });
      expect(result.current).toEqual({ data: undefined, isLoading: false, error: undefined });
    }
    expect(store.liveQueries.size).toBe(0);
  });

  it('closing the store sets a StoreStateError on mounted queries', async () => {
    const store = makeStore();
    const { Todo } = store.models;
    const t = await store.save(new Todo({ title: 'a', done: false }));
    const { result } = renderHook(() => ({ list: useQuery(Todo), item: useItem(Todo, t.id) }), { wrapper: wrapperFor(store) });
    await waitFor(() => expect(result.current.item.data?.title).toBe('a'));
    await act(() => store.close());
    expect(result.current.list.error).toBeInstanceOf(StoreStateError);
    expect(result.current.item.error).toBeInstanceOf(StoreStateError);
  });

  it('thirty components on one query share one live query and one storage read', async () => {
    const gated = gatedStore();
    const { Todo } = gated.store.models;
    await gated.store.save(new Todo({ title: 'a', done: false }));
    const before = gated.reads();
    render(
      <ul data-testid="list">
        {ROWS.map((id) => (
          <Row key={id} />
        ))}
      </ul>,
      { wrapper: wrapperFor(gated.store) },
    );
    await waitFor(() => expect(screen.getByTestId('list').textContent).toBe('1'.repeat(30)));
    await flushMicrotasks();
    expect(gated.reads() - before).toBe(1);
    expect(gated.store.liveQueries.size).toBe(1);
  });
});
