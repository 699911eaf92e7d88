import { describe, expect, it } from 'vitest';
import { createDataStore } from '../datastore/data-store';
import { StoreStateError, ValidationError } from '../errors';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import type { StorageAdapter } from '../storage/storage-adapter';
import { todoSchema, type TodoModels } from '../test-fixtures/todo-schema';
import { prefetchQueries } from './prefetch-queries';

/** Counts the storage engine's read transactions. */
function countingAdapter(inner: StorageAdapter) {
  const counter = { reads: 0 };
  const wrapped: StorageAdapter = Object.create(inner);
  wrapped.read = (fn) => {
    counter.reads++;
    return inner.read(fn);
  };
  return { adapter: wrapped, counter };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('LiveQueryCache', () => {
  it('thirty observers of the same query share one running query and one storage read', async () => {
    const { adapter, counter } = countingAdapter(new MemoryAdapter());
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: adapter });
    const { Todo } = store.models;
    await store.save(new Todo({ title: 'a', done: false }));
    const before = counter.reads;
    const seen: number[] = [];
    const stops = Array.from({ length: 30 }, () =>
      // A new closure each time, as a component's render makes: the query, not the function, is the key.
      store.liveQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') }).subscribe((r) => seen.push(r.items.length)),
    );
    await tick();
    expect(counter.reads - before).toBe(1);
    expect(store.liveQueries.size).toBe(1);
    expect(seen).toEqual(new Array(30).fill(1));
    await store.save(new Todo({ title: 'b', done: false }));
    expect(seen.filter((n) => n === 2)).toHaveLength(30);
    for (const stop of stops) stop();
    await store.close();
  });

  it('keeps a released query for its grace period, then stops it; a later observer reads afresh', async () => {
    const { adapter, counter } = countingAdapter(new MemoryAdapter());
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: adapter });
    store.liveQueries.gracePeriodMs = 20;
    const { Todo } = store.models;
    const a = await store.save(new Todo({ title: 'a', done: false }));
    const first = store.liveQuery(Todo);
    first.subscribe(() => undefined)();
    await tick();
    const reads = counter.reads;
    // Within the grace period the query still runs: a remount finds its result, fresh, without a read.
    const again = store.liveQuery(Todo);
    expect(again.getCurrentResult().items).toHaveLength(1);
    again.subscribe(() => undefined)();
    expect(counter.reads).toBe(reads);
    await new Promise((r) => setTimeout(r, 40));
    expect(store.liveQueries.size).toBe(0);
    // Stopped queries are not shown stale: a record deleted meanwhile never reappears.
    await store.delete(a);
    const later = store.liveQuery(Todo);
    expect(later.getCurrentResult()).toMatchObject({ isLoading: true, items: [] });
    const results: Array<{ isLoading: boolean; n: number }> = [];
    later.subscribe((r) => results.push({ isLoading: r.isLoading, n: r.items.length }));
    await tick();
    expect(results).toEqual([{ isLoading: false, n: 0 }]);
    await store.close();
  });

  it('closing the store sets a StoreStateError on running queries and keeps their rows', async () => {
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter() });
    const { Todo } = store.models;
    await store.save(new Todo({ title: 'a', done: false }));
    const observer = store.liveQuery(Todo);
    observer.subscribe(() => undefined);
    await tick();
    await store.close();
    const result = observer.getCurrentResult();
    expect(result.error).toBeInstanceOf(StoreStateError);
    expect(result.error?.message).toMatch(/closed/);
    expect(result.items).toHaveLength(1);
    expect(store.liveQueries.size).toBe(0);
  });

  it('names the caller in the limit error', () => {
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter() });
    expect(() => store.liveQuery(store.models.Todo, undefined, { limit: 0, caller: 'useQuery' })).toThrow(ValidationError);
    expect(() => store.liveQuery(store.models.Todo, undefined, { limit: 0, caller: 'useQuery' })).toThrow(/^Todo: useQuery limit must be a positive integer, got 0/);
  });

  it('a placeholder shows until the query reads its own rows, then is replaced once', async () => {
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter() });
    const { Todo } = store.models;
    await store.save(new Todo({ title: 'real', done: false }));
    let replaced = 0;
    const observer = store.liveQuery(Todo).setPlaceholder({ items: [{ title: 'old' } as never], isLoading: true, onReplaced: () => replaced++ });
    const shown = observer.getCurrentResult();
    expect(shown).toMatchObject({ isLoading: true, items: [{ title: 'old' }] });
    expect(observer.getCurrentResult()).toBe(shown);
    observer.subscribe(() => undefined);
    await tick();
    expect(observer.getCurrentResult().items.map((t) => t.title)).toEqual(['real']);
    observer.getCurrentResult();
    expect(replaced).toBe(1);
    await store.close();
  });

  it('prefetched rows hydrate into records and show without loading until the live result arrives', async () => {
    const server = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter() });
    await server.save(new server.models.Todo({ id: 't1', title: 'from server', done: false }));
    const state = await prefetchQueries([server.liveQuery(server.models.Todo, (p) => p.done.eq(false))]);
    const json = JSON.parse(JSON.stringify(state));
    await server.close();

    const client = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter() });
    await client.save(new client.models.Todo({ id: 't1', title: 'from server', done: false }));
    const hydrated = client.liveQueries.hydrate(json);
    const observer = client.liveQuery(client.models.Todo, (p) => p.done.eq(false));
    observer.setPlaceholder(hydrated.placeholderFor(observer));
    const first = observer.getCurrentResult();
    expect(first.isLoading).toBe(false);
    expect(first.items.map((t) => t.title)).toEqual(['from server']);
    expect(Object.isFrozen(first.items[0])).toBe(true);
    const states: boolean[] = [];
    observer.subscribe((r) => states.push(r.isLoading));
    await tick();
    expect(states).not.toContain(true);
    // Used once: a query mounted after the live result arrived never shows the prefetched rows again.
    const later = client.liveQuery(client.models.Todo, (p) => p.done.eq(false));
    expect(hydrated.placeholderFor(later)).toBeUndefined();
    await client.close();
  });
});
