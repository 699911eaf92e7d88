// @vitest-environment jsdom
import { createDataStore, MemoryAdapter, StoreStateError, type StorageAdapter } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { describe, expect, it, vi } from 'vitest';
import { createApp, defineComponent, h, nextTick, onErrorCaptured, ref } from 'vue';
import { createDataStorePlugin } from '../data-store-plugin';
import { useItem } from '../use-item';
import { useQuery } from '../use-query';
import { createTestStore, runInScope, sdl, type Models, type Todo } from './test-store';

/** A store whose reads are counted and can be held back. */
function gatedStore() {
  const inner = new MemoryAdapter();
  const storage = Object.create(inner) as StorageAdapter;
  const state = { reads: 0, gate: undefined as Promise<void> | undefined, open: () => {} };
  storage.read = (fn) => {
    state.reads++;
    return (state.gate ?? Promise.resolve()).then(() => inner.read(fn));
  };
  return {
    store: createDataStore<Models>({ schema: parseSchema(sdl), storage }),
    reads: () => state.reads,
    hold: () => void (state.gate = new Promise<void>((resolve) => (state.open = resolve))),
    release: () => {
      state.gate = undefined;
      state.open();
    },
  };
}

const titles = (todos: readonly Todo[]) => todos.map((t) => t.title);

/** The semantics every binding shares (docs/guide/live-queries.md#one-behaviour-in-every-binding). */
describe('useQuery and useItem: the shared semantics', () => {
  it('an invalid query is reported in error with no rows, never the previous query rows', async () => {
    const store = createTestStore();
    await store.save(new store.models.Todo({ title: 'a', done: false }));
    const bad = ref(false);
    const { result } = runInScope(store, () => useQuery(store.models.Todo, () => (bad.value ? (p: any) => p.nope.eq(1) : undefined)));
    await vi.waitFor(() => expect(result.data.value).toHaveLength(1));
    bad.value = true;
    await nextTick();
    expect(result.error.value?.message).toMatch(/nope/);
    expect(result.data.value).toEqual([]);
  });

  it('throwOnError hands the error to onErrorCaptured; the limit error names useQuery', async () => {
    const store = createTestStore();
    const caught: Error[] = [];
    const Child = defineComponent({
      setup() {
        useQuery(store.models.Todo, undefined, { limit: 0, throwOnError: true });
        return () => h('p');
      },
    });
    const Parent = defineComponent({
      setup() {
        onErrorCaptured((error) => {
          caught.push(error as Error);
          return false;
        });
        return () => h(Child);
      },
    });
    createApp(Parent).use(createDataStorePlugin(store)).mount(document.createElement('div'));
    await nextTick();
    expect(caught).toHaveLength(1);
    expect(caught[0]!.message).toMatch(/^Todo: useQuery limit must be a positive integer, got 0/);
  });

  it('switching queries keeps the previous rows, marked loading, until the new ones arrive (no empty blink)', async () => {
    const gated = gatedStore();
    const { Todo } = gated.store.models;
    await gated.store.saveMany([new Todo({ title: 'open', done: false }), new Todo({ title: 'done', done: true })]);
    const done = ref(false);
    const { result } = runInScope(gated.store, () => useQuery(Todo, () => (p: any) => p.done.eq(done.value)));
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['open']));
    gated.hold();
    done.value = true;
    await nextTick();
    expect(result.isLoading.value).toBe(true);
    expect(titles(result.data.value)).toEqual(['open']);
    gated.release();
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['done']));
    expect(result.isLoading.value).toBe(false);
  });

  it('a null or undefined id selects nothing, without error', () => {
    const store = createTestStore();
    for (const id of [null, undefined]) {
      const { result } = runInScope(store, () => useItem(store.models.Todo, id));
      expect(result.data.value).toBeUndefined();
      expect(result.isLoading.value).toBe(false);
      expect(result.error.value).toBeUndefined();
    }
    expect(store.liveQueries.size).toBe(0);
  });

  it('closing the store sets a StoreStateError on mounted queries', async () => {
    const store = createTestStore();
    const t = await store.save(new store.models.Todo({ title: 'a', done: false }));
    const { result } = runInScope(store, () => ({ list: useQuery(store.models.Todo), item: useItem(store.models.Todo, t.id) }));
    await vi.waitFor(() => expect(result.item.data.value?.title).toBe('a'));
    await store.close();
    expect(result.list.error.value).toBeInstanceOf(StoreStateError);
    expect(result.item.error.value).toBeInstanceOf(StoreStateError);
  });

  it('thirty components on one query share one live query and one storage read', async () => {
    const gated = gatedStore();
    const { Todo } = gated.store.models;
    await gated.store.save(new Todo({ title: 'a', done: false }));
    const before = gated.reads();
    const rows = Array.from({ length: 30 }, () => runInScope(gated.store, () => useQuery(Todo, (p) => p.done.eq(false))).result);
    await vi.waitFor(() => expect(rows.every((r) => r.data.value.length === 1)).toBe(true));
    expect(gated.reads() - before).toBe(1);
    expect(gated.store.liveQueries.size).toBe(1);
  });
});
