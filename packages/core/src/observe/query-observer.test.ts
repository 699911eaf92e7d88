import { describe, expect, it } from 'vitest';
import { createDataStore } from '../datastore/data-store';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import type { StorageAdapter } from '../storage/storage-adapter';
import { todoSchema, type TodoModels } from '../test-fixtures/todo-schema';
import type { QueryResult } from './query-observer';

/** Counts how often the storage engine is asked to run a query for `model`. */
function countingAdapter(inner: StorageAdapter, model: string) {
  const counter = { queries: 0 };
  const wrapped: StorageAdapter = Object.create(inner);
  wrapped.read = (fn) =>
    inner.read((tx) =>
      fn(
        Object.assign(Object.create(tx), {
          query: (m: string, q: never) => {
            if (m === model) counter.queries++;
            return tx.query(m, q);
          },
        }),
      ),
    );
  return { adapter: wrapped, counter };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('QueryObserver', () => {
  it('emits the first snapshot at once, then applies changes without re-running the query', async () => {
    const { adapter, counter } = countingAdapter(new MemoryAdapter(), 'Todo');
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: adapter });
    const { Todo } = store.models;
    await store.save(new Todo({ title: 'b', done: false }));
    const observer = store.liveQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') });
    const results: QueryResult<Record<string, unknown>>[] = [];
    observer.subscribe((r) => results.push(r));
    expect(observer.getCurrentResult().isLoading).toBe(true);
    await tick();
    expect(results[0]!.items.map((t) => t.title)).toEqual(['b']);
    expect(results[0]!.isLoading).toBe(false);
    expect(results[0]!.isSynced).toBe(true);
    const queriesAfterFirst = counter.queries;

    const a = await store.save(new Todo({ title: 'a', done: false }));
    expect(observer.getCurrentResult().items.map((t) => t.title)).toEqual(['a', 'b']);
    const c = await store.save(new Todo({ title: 'c', done: true }));
    const same = observer.getCurrentResult();
    expect(results).toHaveLength(2); // a non-matching insert changes nothing and emits nothing
    await store.save(Todo.copyOf(c, (d) => { d.done = false; }));
    await store.save(Todo.copyOf(a, (d) => { d.title = 'z'; }));
    expect(observer.getCurrentResult().items.map((t) => t.title)).toEqual(['b', 'c', 'z']);
    expect(observer.getCurrentResult()).not.toBe(same);
    await store.delete(Todo, 'nope');
    await store.delete(c);
    expect(observer.getCurrentResult().items.map((t) => t.title)).toEqual(['b', 'z']);
    expect(counter.queries).toBe(queriesAfterFirst);
  });

  it('returns the same result object while nothing changes', async () => {
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter() });
    const { Todo, Blog } = store.models;
    const observer = store.liveQuery(Todo);
    observer.subscribe(() => {});
    await tick();
    const r = observer.getCurrentResult();
    await store.save(new Blog({ name: 'unrelated' }));
    expect(observer.getCurrentResult()).toBe(r);
  });

  it('keeps a limit window right, refilling from storage when a shown record leaves', async () => {
    const { adapter, counter } = countingAdapter(new MemoryAdapter(), 'Todo');
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: adapter });
    const { Todo } = store.models;
    const saved = await store.saveMany(['a', 'b', 'c', 'd', 'e'].map((title) => new Todo({ title, done: false })));
    const observer = store.liveQuery(Todo, undefined, { sort: (s) => s.title('ASCENDING'), limit: 3 });
    observer.subscribe(() => {});
    await tick();
    const titles = () => observer.getCurrentResult().items.map((t) => t.title);
    expect(titles()).toEqual(['a', 'b', 'c']);
    const base = counter.queries;
    await store.save(new Todo({ title: '0', done: false }));
    expect(titles()).toEqual(['0', 'a', 'b']);
    await store.save(new Todo({ title: 'x', done: false }));
    expect(titles()).toEqual(['0', 'a', 'b']);
    expect(counter.queries).toBe(base);
    await store.delete(saved[0]!); // 'a' leaves: 'c' must come back from storage
    await tick();
    await tick();
    expect(titles()).toEqual(['0', 'b', 'c']);
  });

  it('a shown record that moves down a full limit window lets an unseen record that now sorts first in', async () => {
    // Found by the live-query property on Node 24: nulls sort first, so a record moving from null to 0 must
    // give its place to an unseen record still at null.
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter() });
    const { Todo } = store.models;
    await store.save(new Todo({ id: 'a1', title: 'a', done: false }));
    await store.save(new Todo({ id: 'a2', title: 'a', done: false }));
    const observer = store.liveQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.priority('ASCENDING').title('ASCENDING'), limit: 1 });
    observer.subscribe(() => {});
    await tick();
    expect(observer.getCurrentResult().items.map((t) => t.id)).toEqual(['a1']);
    await store.save(Todo.copyOf((await store.query(Todo, 'a1'))!, (d) => { d.priority = 0; }));
    for (let i = 0; i < 20 && observer.getCurrentResult().items[0]?.id !== 'a2'; i++) await tick();
    expect(observer.getCurrentResult().items.map((t) => t.id)).toEqual(['a2']);
  });

  it('follows relation predicates when the related record changes', async () => {
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter() });
    const { Blog, Post } = store.models;
    const blog = await store.save(new Blog({ name: 'Tech' }));
    await store.save(new Post({ title: 'p', blog }));
    const observer = store.liveQuery(Post, (p) => p.blog.name.eq('Food'));
    observer.subscribe(() => {});
    await tick();
    expect(observer.getCurrentResult().items).toHaveLength(0);
    await store.save(Blog.copyOf(blog, (d) => { d.name = 'Food'; }));
    await tick();
    await tick();
    expect(observer.getCurrentResult().items.map((p) => p.title)).toEqual(['p']);
  });

  it('observeQuery emits snapshots shaped { items, isSynced }', async () => {
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter() });
    const { Todo } = store.models;
    const snaps: number[] = [];
    const sub = store.observeQuery(Todo).subscribe((s) => {
      expect(s.isSynced).toBe(true);
      snaps.push(s.items.length);
    });
    await tick();
    await store.save(new Todo({ title: 'a', done: false }));
    expect(snaps).toEqual([0, 1]);
    sub.unsubscribe();
  });
});

describe('QueryObserver under resubscription', () => {
  it('a resubscribe while the first read is slow does not starve the read (no microtask spin)', async () => {
    const inner = new MemoryAdapter();
    const slow: StorageAdapter = Object.create(inner);
    slow.read = (fn) => new Promise((resolve, reject) => setTimeout(() => inner.read(fn).then(resolve, reject), 20));
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: slow });
    const { Todo } = store.models;
    await store.save(new Todo({ title: 'a', done: false }));
    const observer = store.liveQuery(Todo);
    const stop = observer.subscribe(() => {});
    stop();
    const results: number[] = [];
    observer.subscribe((r) => results.push(r.items.length));
    const timer = new Promise((r) => setTimeout(r, 100));
    await timer;
    expect(results.at(-1)).toBe(1);
  });
});
