import { cleanup, render, screen } from '@testing-library/vue';
import type { DataStore, PredicateInput } from '@offgrid/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref, watch } from 'vue';
import { createDataStorePlugin } from '../data-store-plugin';
import { useQuery } from '../use-query';
import { createTestStore, listenerCount, runInScope, trackObservers, type Models, type Todo } from './test-store';

let store: DataStore<Models>;
beforeEach(() => {
  store = createTestStore();
});
afterEach(async () => {
  cleanup();
  await store.close();
});

const titles = (todos: readonly Todo[]) => todos.map((t) => t.title);

describe('useQuery in a component', () => {
  it('shows the initial load, then live updates', async () => {
    const { Todo } = store.models;
    await store.save(new Todo({ title: 'a', done: false }));
    const TodoTitles = defineComponent({
      setup() {
        const { data, isLoading } = useQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') });
        return () => h('ul', { 'data-loading': String(isLoading.value) }, data.value.map((t) => h('li', { key: t.id }, t.title)));
      },
    });
    render(TodoTitles, { global: { plugins: [createDataStorePlugin(store)] } });
    expect(await screen.findByText('a')).toBeTruthy();

    await store.save(new Todo({ title: 'b', done: false }));
    expect(await screen.findByText('b')).toBeTruthy();
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['a', 'b']);
    expect(screen.getByRole('list').dataset.loading).toBe('false');
  });

  it('lets go of the observer when the component unmounts', async () => {
    const opened = trackObservers(store);
    const View = defineComponent({
      setup() {
        const { data } = useQuery(store.models.Todo);
        return () => h('p', data.value.length);
      },
    });
    const { unmount } = render(View, { global: { plugins: [createDataStorePlugin(store)] } });
    expect(listenerCount(opened[0]!)).toBe(1);
    unmount();
    expect(listenerCount(opened[0]!)).toBe(0);
  });
});

describe('useQuery in an effect scope', () => {
  it('loads, then follows writes', async () => {
    const { Todo } = store.models;
    const { result } = runInScope(store, () => useQuery(Todo));
    expect(result.isLoading.value).toBe(true);
    await vi.waitFor(() => expect(result.isLoading.value).toBe(false));
    expect(result.data.value).toEqual([]);
    expect(result.isSynced.value).toBe(true);
    expect(result.error.value).toBeUndefined();

    const saved = await store.save(new Todo({ title: 'x', done: false }));
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['x']));
    await store.delete(saved);
    await vi.waitFor(() => expect(result.data.value).toEqual([]));
  });

  it('switches the query when a ref predicate changes, and releases the old observer', async () => {
    const { Todo } = store.models;
    await store.saveMany([new Todo({ title: 'open', done: false }), new Todo({ title: 'closed', done: true })]);
    const opened = trackObservers(store);
    const predicate = ref<PredicateInput<Todo>>((p) => p.done.eq(false));
    const { result } = runInScope(store, () => useQuery(Todo, predicate));
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['open']));

    predicate.value = (p) => p.done.eq(true);
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['closed']));
    expect(opened).toHaveLength(2);
    expect(listenerCount(opened[0]!)).toBe(0);
    expect(listenerCount(opened[1]!)).toBe(1);
  });

  it('follows getter arguments and refs read inside the predicate', async () => {
    const { Todo } = store.models;
    await store.saveMany(['a', 'b', 'c'].map((title, rank) => new Todo({ title, done: rank === 1, rank })));
    const showDone = ref(false);
    const limit = ref(3);
    const minRank = ref(0);
    const { result } = runInScope(store, () =>
      useQuery(
        Todo,
        () => (showDone.value ? (p) => p.done.eq(true) : (p) => p.rank.ge(minRank.value)),
        () => ({ sort: (s) => s.rank('DESCENDING'), limit: limit.value }),
      ),
    );
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['c', 'b', 'a']));
    limit.value = 2;
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['c', 'b']));
    minRank.value = 2;
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['c']));
    showDone.value = true;
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['b']));
  });

  it('sorts and limits, and keeps the window filled as records come and go', async () => {
    const { Todo } = store.models;
    await store.saveMany(['d', 'b', 'e', 'a'].map((title) => new Todo({ title, done: false })));
    const { result } = runInScope(store, () => useQuery(Todo, undefined, { sort: (s) => s.title('ASCENDING'), limit: 3 }));
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['a', 'b', 'd']));
    await store.save(new Todo({ title: 'c', done: false }));
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['a', 'b', 'c']));
    await store.delete(Todo, (p) => p.title.eq('a'));
    await vi.waitFor(() => expect(titles(result.data.value)).toEqual(['b', 'c', 'd']));
  });

  it('keeps the observer when a new closure builds the same predicate', async () => {
    const { Todo } = store.models;
    const opened = trackObservers(store);
    const tick = ref(0);
    const { result } = runInScope(store, () => useQuery(
        Todo,
        () => {
          void tick.value;
          return (p) => p.done.eq(false);
        },
        () => ({ limit: 5 }),
      ));
    await vi.waitFor(() => expect(result.isLoading.value).toBe(false));
    tick.value++;
    await nextTick();
    tick.value++;
    await nextTick();
    expect(opened).toHaveLength(1);
  });

  it('does not touch data when a write does not change the result', async () => {
    const { Todo, TodoList } = store.models;
    await store.save(new Todo({ title: 'open', done: false }));
    const { result } = runInScope(store, () => useQuery(Todo, (p) => p.done.eq(false)));
    await vi.waitFor(() => expect(result.data.value).toHaveLength(1));
    const before = result.data.value;
    const changes = vi.fn();
    runInScope(store, () => watch(result.data, changes));

    await store.save(new TodoList({ name: 'elsewhere' }));
    await store.save(new Todo({ title: 'closed', done: true }));
    await new Promise((r) => setTimeout(r, 10));
    await nextTick();
    expect(result.data.value).toBe(before);
    expect(changes).not.toHaveBeenCalled();
  });

  it('unsubscribes when the scope stops', async () => {
    const opened = trackObservers(store);
    const { result, scope } = runInScope(store, () => useQuery(store.models.Todo));
    await vi.waitFor(() => expect(result.isLoading.value).toBe(false));
    expect(listenerCount(opened[0]!)).toBe(1);
    scope.stop();
    expect(listenerCount(opened[0]!)).toBe(0);

    await store.save(new store.models.Todo({ title: 'after', done: false }));
    await new Promise((r) => setTimeout(r, 10));
    expect(result.data.value).toEqual([]);
  });

  it('reports an input the store refuses as error', async () => {
    const limit = ref(0);
    const { result } = runInScope(store, () => useQuery(store.models.Todo, undefined, () => ({ limit: limit.value })));
    expect(result.error.value?.message).toMatch(/limit must be a positive integer/);
    expect(result.isLoading.value).toBe(false);
    limit.value = 1;
    await vi.waitFor(() => expect(result.error.value).toBeUndefined());
  });
});
