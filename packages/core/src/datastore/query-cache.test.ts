import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IndexedDBAdapter } from '../storage/indexeddb/indexeddb-adapter';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import type { StorageReader } from '../storage/storage-adapter';
import { TabCoordinator } from '../tabs/tab-coordinator';
import { todoSchema, type TodoModels } from '../test-fixtures/todo-schema';
import { createDataStore } from './data-store';
import { queryCacheKey } from './query-cache';

/** A memory adapter that counts read transactions, to tell a cached answer from a storage read. */
class CountingAdapter extends MemoryAdapter {
  reads = 0;
  override read<T>(fn: (tx: StorageReader) => Promise<T>): Promise<T> {
    this.reads++;
    return super.read(fn);
  }
}

function setup(options: { queryCache?: boolean } = {}) {
  const storage = new CountingAdapter();
  const store = createDataStore<TodoModels>({ schema: todoSchema, storage, ...options });
  return { store, storage, ...store.models };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('query cache', () => {
  it('answers a repeated query without reading storage, with the same frozen records', async () => {
    const { store, storage, Todo } = setup();
    await store.saveMany([new Todo({ title: 'a', done: false, priority: 1 }), new Todo({ title: 'b', done: false, priority: 2 })]);
    const ask = () => store.query(Todo, (p) => p.done.eq(false), { sort: (s) => s.priority('DESCENDING'), limit: 10 });
    const first = await ask();
    const reads = storage.reads;
    const second = await ask();
    expect(storage.reads).toBe(reads);
    expect(second.map((t) => t.title)).toEqual(['b', 'a']);
    expect(second[0]).toBe(first[0]);
    expect(Object.isFrozen(second[0])).toBe(true);
    // Each caller gets its own array: changing one does not change what the next caller sees.
    second.pop();
    expect((await ask()).map((t) => t.title)).toEqual(['b', 'a']);
  });

  it('a query after a write always sees it: insert, update and delete', async () => {
    const { store, Todo } = setup();
    const ask = async () => (await store.query(Todo, (p) => p.priority.ge(1), { sort: (s) => s.title('ASCENDING') })).map((t) => `${t.title}:${t.priority}`);
    const a = await store.save(new Todo({ title: 'a', done: false, priority: 1 }));
    expect(await ask()).toEqual(['a:1']);
    await store.save(new Todo({ title: 'b', done: false, priority: 2 }));
    expect(await ask()).toEqual(['a:1', 'b:2']);
    await store.save(Todo.copyOf(a, (d) => { d.priority = 5; }));
    expect(await ask()).toEqual(['a:5', 'b:2']);
    await store.delete(a);
    expect(await ask()).toEqual(['b:2']);
  });

  it('identical queries asked together read storage once and each get their own array', async () => {
    const { store, storage, Todo } = setup();
    await store.save(new Todo({ title: 'a', done: false }));
    const reads = storage.reads;
    const [x, y, z] = await Promise.all([1, 2, 3].map(() => store.query(Todo, (p) => p.done.eq(false))));
    expect(storage.reads).toBe(reads + 1);
    expect(x).toEqual(y);
    expect(x).not.toBe(y);
    expect(z!.map((t) => t.title)).toEqual(['a']);
  });

  it('a write that lands while a query is reading is not hidden by that query', async () => {
    const { store, Todo } = setup();
    await store.save(new Todo({ title: 'a', done: false }));
    const ask = () => store.query(Todo, (p) => p.done.eq(false));
    const [, saved] = await Promise.all([ask(), store.save(new Todo({ title: 'b', done: false }))]);
    expect((await ask()).map((t) => t.id)).toContain(saved.id);
  });

  it('a write to another model keeps the cached answer; one to a related model drops it', async () => {
    const { store, storage, Todo, Blog, Post } = setup();
    const blog = await store.save(new Blog({ name: 'old' }));
    await store.save(new Post({ title: 'p', blog }));
    const todos = () => store.query(Todo, (p) => p.done.eq(false));
    const byBlogName = async () => (await store.query(Post, (p) => p.blog.name.eq('new'))).map((p) => p.title);
    await todos();
    expect(await byBlogName()).toEqual([]);
    const reads = storage.reads;
    await store.save(new Blog({ name: 'unrelated' }));
    await todos();
    expect(storage.reads).toBe(reads);
    await store.save(Blog.copyOf(blog, (d) => { d.name = 'new'; }));
    expect(await byBlogName()).toEqual(['p']);
  });

  it('clear() drops cached answers', async () => {
    const { store, Todo } = setup();
    await store.save(new Todo({ title: 'a', done: false }));
    expect(await store.query(Todo, (p) => p.done.eq(false))).toHaveLength(1);
    await store.clear();
    expect(await store.query(Todo, (p) => p.done.eq(false))).toHaveLength(0);
  });

  it('can be turned off: then every query reads storage', async () => {
    const { store, storage, Todo } = setup({ queryCache: false });
    await store.save(new Todo({ title: 'a', done: false }));
    await store.query(Todo, (p) => p.done.eq(false));
    const reads = storage.reads;
    await store.query(Todo, (p) => p.done.eq(false));
    expect(storage.reads).toBe(reads + 1);
  });

  it('changes committed by another tab drop the cached answer', async () => {
    const indexedDB = new IDBFactory();
    const name = `cache-tabs-${Math.random()}`;
    const tab = () =>
      createDataStore<TodoModels>({
        schema: todoSchema,
        storage: new IndexedDBAdapter({ name: 'shared', indexedDB }),
        tabs: new TabCoordinator({ name, channel: (n) => new BroadcastChannel(n) as never }),
      });
    const a = tab();
    const b = tab();
    await a.start();
    await b.start();
    const open = async () => (await b.query(b.models.Todo, (p) => p.done.eq(false))).map((t) => t.title);
    expect(await open()).toEqual([]);
    await a.save(new a.models.Todo({ title: 'from A', done: false }));
    await until(async () => (await open()).includes('from A'), "B's query to show A's write");
    await a.close();
    await b.close();
  });
});

describe('queryCacheKey', () => {
  it('tells apart queries whose values JSON would merge, by not caching them', () => {
    const nan = queryCacheKey('Todo', { predicate: { type: 'field', field: 'priority', op: 'eq', value: Number.NaN } });
    const nul = queryCacheKey('Todo', { predicate: { type: 'field', field: 'priority', op: 'eq', value: null } });
    expect(nan).toBeUndefined();
    expect(nul).toBeTypeOf('string');
    expect(queryCacheKey('Todo', { limit: 1 })).not.toBe(queryCacheKey('Post', { limit: 1 }));
  });
});
