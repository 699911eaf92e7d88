import type { DataStore } from '@offgrid/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { useItem } from '../use-item';
import { createTestStore, listenerCount, runInScope, trackObservers, type Models } from './test-store';

let store: DataStore<Models>;
beforeEach(() => {
  store = createTestStore();
});
afterEach(() => store.close());

describe('useItem', () => {
  it('follows one record through saves, a new id and a delete', async () => {
    const { Todo } = store.models;
    const [a, b] = await store.saveMany([new Todo({ title: 'a', done: false }), new Todo({ title: 'b', done: false })]);
    const opened = trackObservers(store);
    const id = ref(a!.id);
    const { result } = runInScope(store, () => useItem(Todo, id));
    await vi.waitFor(() => expect(result.data.value?.title).toBe('a'));

    await store.save(Todo.copyOf(a!, (d) => void (d.done = true)));
    await vi.waitFor(() => expect(result.data.value?.done).toBe(true));

    id.value = b!.id;
    await vi.waitFor(() => expect(result.data.value?.title).toBe('b'));
    expect(listenerCount(opened[0]!)).toBe(0);

    await store.delete(b!);
    await vi.waitFor(() => expect(result.data.value).toBeUndefined());
  });

  it('takes a getter, and shows nothing for an empty id', async () => {
    const { Todo } = store.models;
    const saved = await store.save(new Todo({ title: 'x', done: false }));
    const selected = ref<string | undefined>(undefined);
    const { result, scope } = runInScope(store, () => useItem(Todo, () => selected.value));
    expect(result.data.value).toBeUndefined();
    expect(result.isLoading.value).toBe(false);

    selected.value = saved.id;
    await vi.waitFor(() => expect(result.data.value?.id).toBe(saved.id));
    expect(result.isSynced.value).toBe(true);
    scope.stop();
  });

  it('accepts key fields', async () => {
    const { TodoList } = store.models;
    const list = await store.save(new TodoList({ name: 'home' }));
    const { result } = runInScope(store, () => useItem(TodoList, { id: list.id }));
    await vi.waitFor(() => expect(result.data.value?.name).toBe('home'));
  });
});
