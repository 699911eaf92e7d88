import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { itemStore } from '../item-store';
import { recordStatusStore } from '../record-status-store';
import { syncStatusStore } from '../sync-status-store';
import type { ItemState } from '../types';
import { todoStore, until, type Todo } from './todo-store';

const store = todoStore();
afterEach(async () => {
  await store.clear();
});
afterAll(async () => {
  await store.close();
});

describe('itemStore', () => {
  it('follows one record by id until it is deleted', async () => {
    const { Todo } = store.models;
    const other = await store.save(new Todo({ title: 'other', done: false }));
    const todo = await store.save(new Todo({ title: 'mine', done: false }));
    const values: Array<ItemState<Todo>> = [];
    const stop = itemStore(store, Todo, todo.id).subscribe((v) => values.push(v));
    const last = () => values[values.length - 1]!;
    expect(last()).toMatchObject({ data: undefined, isLoading: true });
    await until(() => last().data?.title === 'mine');

    await store.save(Todo.copyOf(other, (d) => void (d.title = 'other2')));
    await store.save(Todo.copyOf(todo, (d) => void (d.done = true)));
    await until(() => last().data?.done === true);
    expect(values.every((v) => v.data === undefined || v.data.id === todo.id)).toBe(true);

    await store.delete(Todo, todo.id);
    await until(() => last().data === undefined);
    stop();
  });

  it('accepts the key fields as an object', async () => {
    const todo = await store.save(new store.models.Todo({ title: 'keyed', done: false }));
    const item = itemStore(store, store.models.Todo, { id: todo.id });
    const values: Array<string | undefined> = [];
    const stop2 = item.subscribe((v) => values.push(v.data?.title));
    await until(() => values.includes('keyed'));
    stop2();
  });
});

describe('syncStatusStore', () => {
  it('gives the current status at once', () => {
    const status = syncStatusStore(store);
    expect(get(status)).toEqual({ state: 'stopped', pending: 0, rejected: 0 });
    const values: unknown[] = [];
    const stop = status.subscribe((v) => values.push(v));
    expect(values).toHaveLength(1);
    stop();
  });
});

describe('recordStatusStore', () => {
  it('reads the record status, then again when the outbox changes', async () => {
    const todo = await store.save(new store.models.Todo({ title: 'local', done: false }));
    const values: unknown[] = [];
    const stop = recordStatusStore(store, todo).subscribe((v) => values.push(v));
    expect(values).toEqual([undefined]);
    await until(() => values.length > 1);
    expect(values[values.length - 1]).toEqual({ status: 'pending' });
    // Clearing empties the outbox: the store reads the status again.
    await store.clear();
    await until(() => (values[values.length - 1] as { status: string }).status === 'synced');
    stop();
  });
});
