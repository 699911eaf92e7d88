import type { QueryObserver } from '@offgrid/core';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryStore } from '../query-store';
import type { QueryState } from '../types';
import { todoStore, until, type Todo } from './todo-store';

const stores: Array<ReturnType<typeof todoStore>> = [];
function newStore() {
  const store = todoStore();
  stores.push(store);
  return store;
}
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function record<T>(readable: { subscribe(run: (v: T) => void): () => void }) {
  const values: T[] = [];
  const stop = readable.subscribe((v) => values.push(v));
  return { values, stop, last: () => values[values.length - 1]! };
}

describe('queryStore', () => {
  it('gives the loading state, then the snapshot, then live updates', async () => {
    const store = newStore();
    const { Todo } = store.models;
    await store.save(new Todo({ title: 'a', done: false }));
    const seen = record<QueryState<Todo>>(queryStore(store, Todo));
    expect(seen.values[0]).toMatchObject({ data: [], isLoading: true, error: undefined });
    await until(() => !seen.last().isLoading);
    expect(seen.last().data.map((t) => t.title)).toEqual(['a']);
    expect(seen.last().isSynced).toBe(true);

    await store.save(new Todo({ title: 'b', done: false }));
    await until(() => seen.last().data.length === 2);
    const [first] = seen.last().data;
    await store.save(Todo.copyOf(first!, (d) => void (d.title = 'a2')));
    await until(() => seen.last().data.some((t) => t.title === 'a2'));
    await store.delete(Todo, first!.id);
    await until(() => seen.last().data.length === 1);
    seen.stop();
  });

  it('applies predicate, sort and limit', async () => {
    const store = newStore();
    const { Todo } = store.models;
    await store.saveMany(['d', 'b', 'c', 'a'].map((title) => new Todo({ title, done: title !== 'c' })));
    const seen = record(queryStore(store, Todo, (p) => p.done.eq(true), { sort: (s) => s.title('ASCENDING'), limit: 2 }));
    await until(() => !seen.last().isLoading);
    expect(seen.last().data.map((t) => t.title)).toEqual(['a', 'b']);
    const a = seen.last().data[0]!;
    await store.save(Todo.copyOf(a, (d) => void (d.done = false)));
    await until(() => seen.last().data.length === 2 && seen.last().data[0]?.title === 'b');
    expect(seen.last().data.map((t) => t.title)).toEqual(['b', 'd']);
    seen.stop();
  });

  it('hands every subscriber the current value at once, the same object while nothing changed', async () => {
    const store = newStore();
    const query = queryStore(store, store.models.Todo);
    const one = record(query);
    await until(() => !one.last().isLoading);
    const two = record(query);
    expect(two.values).toEqual([one.last()]);
    expect(two.values[0]).toBe(one.last());
    expect(get(query)).toBe(one.last());
    one.stop();
    two.stop();
  });

  it('follows the observer once, from a microtask after the first subscriber, and stops after the last', async () => {
    const store = newStore();
    const spy = vi.spyOn(store, 'liveQuery');
    const query = queryStore(store, store.models.Todo);
    const observer = spy.mock.results[0]!.value as QueryObserver<Todo>;
    const listeners = () => (observer as unknown as { listeners: Set<unknown> }).listeners.size;
    const subscribe = vi.spyOn(observer, 'subscribe');
    expect(listeners()).toBe(0);

    const one = record(query);
    const two = record(query);
    // Not yet: a server render unsubscribes before this microtask, so it never starts a query.
    expect(listeners()).toBe(0);
    await until(() => !one.last().isLoading);
    expect(listeners()).toBe(1);
    one.stop();
    expect(listeners()).toBe(1);
    two.stop();
    expect(listeners()).toBe(0);
    expect(subscribe).toHaveBeenCalledTimes(1);

    const count = two.values.length;
    await store.save(new store.models.Todo({ title: 'unseen', done: false }));
    await new Promise((r) => setTimeout(r, 20));
    expect(two.values).toHaveLength(count);
  });
});
