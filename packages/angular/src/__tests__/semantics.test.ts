import { Component, ErrorHandler, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { createDataStore, MemoryAdapter, StoreStateError, type DataStore, type StorageAdapter } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { describe, expect, it, vi } from 'vitest';
import { injectDataStore, injectItem, injectQuery, provideDataStore } from '../index';
import { sdl, type Models } from './test-store';

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

function setup(store: DataStore<Models>, errors: unknown[] = []) {
  TestBed.configureTestingModule({
    providers: [provideDataStore(store), { provide: ErrorHandler, useValue: { handleError: (e: unknown) => errors.push(e) } }],
  });
  return errors;
}

const flush = async () => {
  TestBed.tick();
  await new Promise((r) => setTimeout(r, 0));
  TestBed.tick();
};

/** The semantics every binding shares (docs/guide/live-queries.md#one-behaviour-in-every-binding). */
describe('injectQuery and injectItem: the shared semantics', () => {
  it('an invalid query is reported in error with no rows, never the previous query rows', async () => {
    const { store } = gatedStore();
    await store.save(new store.models.Todo({ title: 'a', done: false }));
    setup(store);
    const bad = signal(false);
    const q = TestBed.runInInjectionContext(() => injectQuery(store.models.Todo, () => (bad() ? (p: any) => p.nope.eq(1) : undefined)));
    await vi.waitFor(async () => {
      await flush();
      expect(q.data()).toHaveLength(1);
    });
    bad.set(true);
    await flush();
    expect(q.error()?.message).toMatch(/nope/);
    expect(q.data()).toEqual([]);
  });

  it('throwOnError hands the error to the ErrorHandler; the limit error names injectQuery', async () => {
    const { store } = gatedStore();
    const errors = setup(store);
    const q = TestBed.runInInjectionContext(() => injectQuery(store.models.Todo, undefined, { limit: 0, throwOnError: true }));
    await flush();
    expect(q.error()?.message).toMatch(/^Todo: injectQuery limit must be a positive integer, got 0/);
    expect(errors).toEqual([q.error()]);
  });

  it('switching queries keeps the previous rows, marked loading, until the new ones arrive (no empty blink)', async () => {
    const gated = gatedStore();
    const { Todo } = gated.store.models;
    await gated.store.saveMany([new Todo({ title: 'open', done: false }), new Todo({ title: 'done', done: true })]);
    setup(gated.store);
    const done = signal(false);
    const q = TestBed.runInInjectionContext(() => injectQuery(Todo, () => (p) => p.done.eq(done())));
    await vi.waitFor(async () => {
      await flush();
      expect(q.data().map((t) => t.title)).toEqual(['open']);
    });
    gated.hold();
    done.set(true);
    await flush();
    expect(q.isLoading()).toBe(true);
    expect(q.data().map((t) => t.title)).toEqual(['open']);
    gated.release();
    await vi.waitFor(async () => {
      await flush();
      expect(q.data().map((t) => t.title)).toEqual(['done']);
    });
  });

  it('a null or undefined id selects nothing, without error (no TypeError)', async () => {
    const { store } = gatedStore();
    setup(store);
    for (const id of [null, undefined]) {
      const item = TestBed.runInInjectionContext(() => injectItem(store.models.Todo, id));
      await flush();
      expect(item.data()).toBeUndefined();
      expect(item.isLoading()).toBe(false);
      expect(item.error()).toBeUndefined();
    }
    expect(store.liveQueries.size).toBe(0);
  });

  it('closing the store sets a StoreStateError on mounted queries', async () => {
    const { store } = gatedStore();
    const t = await store.save(new store.models.Todo({ title: 'a', done: false }));
    setup(store);
    const { list, item } = TestBed.runInInjectionContext(() => ({ list: injectQuery(store.models.Todo), item: injectItem(store.models.Todo, t.id) }));
    await vi.waitFor(async () => {
      await flush();
      expect(item.data()?.title).toBe('a');
    });
    await store.close();
    expect(list.error()).toBeInstanceOf(StoreStateError);
    expect(item.error()).toBeInstanceOf(StoreStateError);
  });

  it('thirty components on one query share one live query and one storage read', async () => {
    const gated = gatedStore();
    const { Todo } = gated.store.models;
    await gated.store.save(new Todo({ title: 'a', done: false }));
    setup(gated.store);
    @Component({ selector: 'todo-count', template: `{{ todos.data().length }}` })
    class TodoCount {
      readonly todos = injectQuery(injectDataStore<Models>().models.Todo, (p) => p.done.eq(false));
    }
    @Component({ selector: 'todo-counts', imports: [TodoCount], template: `@for (i of rows; track i) {<todo-count />}` })
    class TodoCounts {
      readonly rows = Array.from({ length: 30 }, (_, i) => i);
    }
    const before = gated.reads();
    const fixture = TestBed.createComponent(TodoCounts);
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect((fixture.nativeElement as HTMLElement).textContent).toBe('1'.repeat(30));
    });
    expect(gated.reads() - before).toBe(1);
    expect(gated.store.liveQueries.size).toBe(1);
  });
});
