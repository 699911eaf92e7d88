import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { IndexedDBAdapter } from '../storage/indexeddb/indexeddb-adapter';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import type { StorageAdapter } from '../storage/storage-adapter';
import { todoSchema, type TodoModels } from '../test-fixtures/todo-schema';
import { createDataStore } from './data-store';

const now = () => new Date(Date.UTC(2026, 0, 1));
let databases = 0;
const adapters: Array<[string, () => StorageAdapter]> = [
  ['memory', () => new MemoryAdapter()],
  ['indexeddb', () => new IndexedDBAdapter({ name: `save-many-${++databases}`, indexedDB: new IDBFactory() })],
];

/** What a store holds and will send, in a form two stores can be compared by. */
async function contents(store: ReturnType<typeof createDataStore<TodoModels>>) {
  const todos = await store.query(store.models.Todo, undefined, { sort: (s) => s.title('ASCENDING') });
  const outbox = (await store.pendingMutations()).map(({ seq, id, ...e }) => {
    void seq;
    void id;
    return e;
  });
  return { todos: todos.map((t) => ({ ...t })), outbox };
}

describe.each(adapters)('saveMany on %s', (_name, create) => {
  it('ends exactly as saving each record in turn: new records, existing ones, and one key twice', async () => {
    const bulk = createDataStore<TodoModels>({ schema: todoSchema, storage: create(), now, tabs: false });
    const oneByOne = createDataStore<TodoModels>({ schema: todoSchema, storage: create(), now, tabs: false });
    const { Todo } = bulk.models;
    const existing = new Todo({ id: 'e', title: 'existing', done: false, priority: 1 });
    await bulk.save(existing);
    await oneByOne.save(existing);
    const a = new Todo({ id: 'a', title: 'a', done: false });
    const batch = [
      a,
      Todo.copyOf(existing, (d) => { d.priority = 9; }),
      new Todo({ id: 'b', title: 'b', done: true, tags: ['x'] }),
      Todo.copyOf(a, (d) => { d.title = 'a2'; }),
      new Todo({ id: 'c', title: 'c', done: false, owner: null }),
    ];
    const saved = await bulk.saveMany(batch);
    for (const record of batch) await oneByOne.save(record);

    expect(saved.map((r) => r.id)).toEqual(['a', 'e', 'b', 'a', 'c']);
    expect(saved.every((r) => Object.isFrozen(r))).toBe(true);
    const got = await contents(bulk);
    expect(got).toEqual(await contents(oneByOne));
    expect(got.todos.map((t) => `${t.id}:${t.title}:${t.priority ?? '-'}`)).toEqual(['a:a2:-', 'b:b:-', 'c:c:-', 'e:existing:9']);
    // The create of "a" absorbed its update; the outbox keeps the order of the records.
    expect(got.outbox.map((e) => `${e.operation}:${e.key}`)).toEqual(['create:e', 'create:a', 'create:b', 'create:c']);
    await bulk.close();
    await oneByOne.close();
  });

  it('writes nothing when one record of the batch is refused', async () => {
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: create(), tabs: false });
    const { Todo } = store.models;
    const plain = { id: 'p', title: 'not made by a model constructor', done: false };
    await expect(store.saveMany([new Todo({ title: 'a', done: false }), plain as never])).rejects.toBeInstanceOf(ValidationError);
    expect(await store.query(Todo)).toEqual([]);
    expect(await store.pendingMutations()).toEqual([]);
    await store.close();
  });

  it('announces each saved record once, in order, to observers', async () => {
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: create(), tabs: false });
    const { Todo } = store.models;
    const seen: string[] = [];
    const sub = store.observe(Todo).subscribe((m) => seen.push(`${m.opType}:${(m.element as { title: string }).title}`));
    await store.start();
    await store.saveMany([new Todo({ title: 'x', done: false }), new Todo({ title: 'y', done: false })]);
    expect(seen).toEqual(['INSERT:x', 'INSERT:y']);
    sub.unsubscribe();
    await store.close();
  });
});
