import { createDataStore, MemoryAdapter, prefetchQueries, StoreStateError, type PredicateInput, type StorageAdapter } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { cleanup, render, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { itemStore } from '../item-store';
import { queryStore } from '../query-store';
import BoundaryProbe from './BoundaryProbe.svelte';
import PrefetchedTodos from './PrefetchedTodos.svelte';
import QueryProbe from './QueryProbe.svelte';
import { sdl, type Models, type Todo } from './todo-store';

const where = (predicate: PredicateInput<Todo>) => predicate;

afterEach(() => cleanup());

/** A store whose reads are counted and can be held back. */
function gatedStore() {
  const inner = new MemoryAdapter();
  const storage = Object.create(inner) as StorageAdapter;
  const state = { reads: 0, gate: undefined as Promise<void> | undefined, open: () => {} };
  storage.read = (fn) => {
    state.reads++;
    return (state.gate ?? Promise.resolve()).then(() => inner.read(fn));
  };
  const store = createDataStore<Models>({ schema: parseSchema(sdl), storage });
  store.liveQueries.gracePeriodMs = 10;
  return {
    store,
    reads: () => state.reads,
    hold: () => void (state.gate = new Promise<void>((resolve) => (state.open = resolve))),
    release: () => {
      state.gate = undefined;
      state.open();
    },
  };
}

const probe = () => screen.getByTestId('probe');

/** The semantics every binding shares (docs/guide/live-queries.md#one-behaviour-in-every-binding). */
describe('createQuery, queryStore and itemStore: the shared semantics', () => {
  it('createQuery reports a predicate that turns invalid in error, with no rows, and keeps following', async () => {
    const { store } = gatedStore();
    await store.save(new store.models.Todo({ title: 'a', done: false }));
    const { rerender } = render(QueryProbe, { store });
    await vi.waitFor(() => expect(probe().textContent).toBe('a'));
    await rerender({ store, predicate: where((p) => (p as any).nope.eq(1)) });
    await vi.waitFor(() => expect(probe().dataset.error).toMatch(/nope/));
    expect(probe().textContent).toBe('');
    await rerender({ store, predicate: where((p) => p.done.eq(false)) });
    await vi.waitFor(() => expect(probe().textContent).toBe('a'));
    expect(probe().dataset.error).toBe('');
  });

  it('throwOnError hands the error to <svelte:boundary>; the limit error names createQuery', async () => {
    const { store } = gatedStore();
    render(BoundaryProbe, { store });
    await vi.waitFor(() => expect(screen.getByTestId('caught').textContent).toMatch(/^Todo: createQuery limit must be a positive integer, got 0/));
  });

  it('an identical rebuilt query reads nothing again; a new one keeps the previous rows, loading, until its own arrive', async () => {
    const gated = gatedStore();
    const { Todo } = gated.store.models;
    await gated.store.saveMany([new Todo({ title: 'open', done: false }), new Todo({ title: 'done', done: true })]);
    const { rerender } = render(QueryProbe, { store: gated.store, predicate: where((p) => p.done.eq(false)) });
    await vi.waitFor(() => expect(probe().textContent).toBe('open'));
    const reads = gated.reads();
    await rerender({ store: gated.store, predicate: where((p) => p.done.eq(false)) });
    await new Promise((r) => setTimeout(r, 5));
    expect(gated.reads()).toBe(reads);

    gated.hold();
    await rerender({ store: gated.store, predicate: where((p) => p.done.eq(true)) });
    expect(probe().dataset.loading).toBe('true');
    expect(probe().textContent).toBe('open');
    gated.release();
    await vi.waitFor(() => expect(probe().textContent).toBe('done'));
    expect(probe().dataset.loading).toBe('false');
  });

  it('a re-subscribed queryStore never shows a stale result: a record deleted meanwhile is not emitted', async () => {
    const { store } = gatedStore();
    const a = await store.save(new store.models.Todo({ title: 'a', done: false }));
    const open = queryStore(store, store.models.Todo);
    const first = open.subscribe(() => undefined);
    await vi.waitFor(() => expect(get(open).data).toHaveLength(1));
    first();
    await new Promise((r) => setTimeout(r, 30)); // past the grace period: the query stopped
    await store.delete(a);
    const seen: Array<{ isLoading: boolean; n: number }> = [];
    const again = open.subscribe((s) => seen.push({ isLoading: s.isLoading, n: s.data.length }));
    await vi.waitFor(() => expect(seen.at(-1)).toEqual({ isLoading: false, n: 0 }));
    expect(seen.filter((s) => s.n > 0)).toEqual([]);
    again();
  });

  it('a null or undefined id selects nothing (no TypeError); a bad limit is an error naming queryStore', () => {
    const { store } = gatedStore();
    for (const id of [null, undefined]) {
      expect(get(itemStore(store, store.models.Todo, id))).toEqual({ data: undefined, isSynced: true, isLoading: false, error: undefined });
    }
    const bad = get(queryStore(store, store.models.Todo, undefined, { limit: 0 }));
    expect(bad.error?.message).toMatch(/^Todo: queryStore limit must be a positive integer, got 0/);
    expect(bad.data).toEqual([]);
  });

  it('closing the store sets a StoreStateError on mounted queries', async () => {
    const { store } = gatedStore();
    const t = await store.save(new store.models.Todo({ title: 'a', done: false }));
    const list = queryStore(store, store.models.Todo);
    const item = itemStore(store, store.models.Todo, t.id);
    const stops = [list.subscribe(() => undefined), item.subscribe(() => undefined)];
    render(QueryProbe, { store });
    await vi.waitFor(() => expect(get(item).data?.title).toBe('a'));
    await store.close();
    expect(get(list).error).toBeInstanceOf(StoreStateError);
    expect(get(item).error).toBeInstanceOf(StoreStateError);
    await vi.waitFor(() => expect(probe().dataset.error).toMatch(/closed/));
    for (const stop of stops) stop();
  });

  it('thirty stores and components on one query share one live query and one storage read', async () => {
    const gated = gatedStore();
    await gated.store.save(new gated.store.models.Todo({ title: 'a', done: false }));
    const before = gated.reads();
    const stops = Array.from({ length: 15 }, () => queryStore(gated.store, gated.store.models.Todo).subscribe(() => undefined));
    for (let i = 0; i < 15; i++) render(QueryProbe, { store: gated.store });
    await vi.waitFor(() => expect(screen.getAllByTestId('probe').map((p) => p.textContent)).toEqual(new Array(15).fill('a')));
    expect(gated.reads() - before).toBe(1);
    expect(gated.store.liveQueries.size).toBe(1);
    for (const stop of stops) stop();
  });

  it('createQuery shows rows prefetched on the server at once, never a loading state, then follows writes', async () => {
    const { store } = gatedStore();
    const { Todo } = store.models;
    await store.saveMany([new Todo({ title: 'b', done: false }), new Todo({ title: 'a', done: false })]);
    const initialQueries = JSON.parse(JSON.stringify(await prefetchQueries([store.liveQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })])));
    await new Promise((r) => setTimeout(r, 30)); // the prefetch's query stopped: the component starts its own
    const seen: string[] = [];
    render(PrefetchedTodos, { store, initialQueries, seen });
    expect(screen.getByTestId('prefetched').textContent).toBe('a,b');
    await store.save(new Todo({ title: 'c', done: false }));
    await vi.waitFor(() => expect(screen.getByTestId('prefetched').textContent).toBe('a,b,c'));
    expect(seen).not.toContain('loading');
  });
});
