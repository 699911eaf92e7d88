import { describe, expect, it } from 'vitest';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import { todoSchema } from '../test-fixtures/todo-schema';
import { createDataStore } from './data-store';

function setup(storage = new MemoryAdapter()) {
  const store = createDataStore({ schema: todoSchema, storage });
  return { store, storage, ...store.models };
}

describe('DataStore basics', () => {
  it('saves, queries by id and by predicate, with sort and limit', async () => {
    const { store, Todo } = setup();
    const a = await store.save(new Todo({ title: 'b', done: false, priority: 2 }));
    await store.save(new Todo({ title: 'a', done: true, priority: 1 }));
    await store.save(new Todo({ title: 'c', done: false, priority: 3 }));
    expect(Object.isFrozen(a)).toBe(true);
    expect((await store.query(Todo, a.id as string))?.title).toBe('b');
    const open = await store.query(Todo, (p) => p.done.eq(false), { sort: (s) => s.priority('DESCENDING') });
    expect(open.map((t) => t.title)).toEqual(['c', 'b']);
    const page = await store.query(Todo, undefined, { sort: (s) => s.title('ASCENDING'), limit: 2, page: 1 });
    expect(page.map((t) => t.title)).toEqual(['c']);
  });
});
