import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { injectDataStore, injectItem, injectQuery, provideDataStore } from '../index';
import { createTestStore, trackListeners, type Models } from './test-store';
import type { DataStore } from '@offgrid/core';

let store: DataStore<Models>;

beforeEach(async () => {
  store = createTestStore();
  const { Todo } = store.models;
  await store.saveMany([new Todo({ title: 'b', done: false }), new Todo({ title: 'a', done: true })]);
  TestBed.configureTestingModule({ providers: [provideDataStore(store)] });
});

afterEach(() => store.close());

@Component({
  selector: 'todo-titles',
  template: `@if (todos.isLoading()) {<p>loading</p>} @else {<ul>@for (t of todos.data(); track t.id) {<li>{{ t.title }}</li>}</ul>}`,
})
class TodoTitles {
  readonly showDone = signal<boolean | undefined>(undefined);
  readonly todos = injectQuery(
    injectDataStore<Models>().models.Todo,
    () => {
      const done = this.showDone();
      return done === undefined ? undefined : (p) => p.done.eq(done);
    },
    { sort: (s) => s.title('ASCENDING') },
  );
}

function render() {
  const fixture = TestBed.createComponent(TodoTitles);
  fixture.detectChanges();
  const text = () => (fixture.nativeElement as HTMLElement).textContent?.trim();
  const items = () => [...(fixture.nativeElement as HTMLElement).querySelectorAll('li')].map((li) => li.textContent);
  return { fixture, text, items };
}

async function until(fixture: { whenStable(): Promise<unknown> }, check: () => void) {
  await vi.waitFor(async () => {
    await fixture.whenStable();
    check();
  });
}

describe('injectQuery', () => {
  it('renders the first snapshot, then follows changes live', async () => {
    const { fixture, text, items } = render();
    expect(text()).toBe('loading');
    await until(fixture, () => expect(items()).toEqual(['a', 'b']));

    await store.save(new store.models.Todo({ title: 'c', done: false }));
    await until(fixture, () => expect(items()).toEqual(['a', 'b', 'c']));
  });

  it('switches the query when a signal in the predicate changes', async () => {
    const { fixture, items } = render();
    await until(fixture, () => expect(items()).toEqual(['a', 'b']));
    fixture.componentInstance.showDone.set(false);
    await until(fixture, () => expect(items()).toEqual(['b']));
    fixture.componentInstance.showDone.set(true);
    await until(fixture, () => expect(items()).toEqual(['a']));
  });

  it('does not restart when a new predicate function selects the same records', async () => {
    const tracked = trackListeners(store);
    const { fixture, items } = render();
    fixture.componentInstance.showDone.set(false);
    await until(fixture, () => expect(items()).toEqual(['b']));
    const before = tracked.observers.length;
    fixture.componentInstance.showDone.set(true);
    fixture.componentInstance.showDone.set(false);
    await fixture.whenStable();
    expect(tracked.observers.length).toBe(before);
    expect(tracked.active()).toBe(1);
  });

  it('releases the live query when the component is destroyed', async () => {
    const tracked = trackListeners(store);
    const { fixture, items } = render();
    await until(fixture, () => expect(items()).toEqual(['a', 'b']));
    fixture.componentInstance.showDone.set(true);
    await until(fixture, () => expect(items()).toEqual(['a']));
    expect(tracked.observers.length).toBe(2);
    expect(tracked.active()).toBe(1);
    fixture.destroy();
    expect(tracked.active()).toBe(0);
  });

  it('reports a bad query as an error instead of throwing', () => {
    const result = TestBed.runInInjectionContext(() => injectQuery(store.models.Todo, undefined, { limit: -1 }));
    TestBed.tick();
    expect(result.error()?.message).toMatch(/limit/);
    expect(result.data()).toEqual([]);
  });

  it('works in an injection context without a component, released with the injector', async () => {
    const tracked = trackListeners(store);
    const result = TestBed.runInInjectionContext(() => injectQuery(store.models.Todo, (p) => p.done.eq(true)));
    TestBed.tick();
    await vi.waitFor(() => expect(result.data().map((t) => t.title)).toEqual(['a']));
    expect(result.isSynced()).toBe(true);
    expect(result.isLoading()).toBe(false);
    TestBed.resetTestingModule();
    expect(tracked.active()).toBe(0);
  });
});

describe('injectItem', () => {
  it('follows one record by id, and its id signal', async () => {
    const [a] = await store.query(store.models.Todo, (p) => p.title.eq('a'));
    const id = signal<string | undefined>(undefined);
    const item = TestBed.runInInjectionContext(() => injectItem(store.models.Todo, id));
    TestBed.tick();
    expect(item.data()).toBeUndefined();
    expect(item.isLoading()).toBe(false);

    id.set(a!.id);
    TestBed.tick();
    await vi.waitFor(() => expect(item.data()?.title).toBe('a'));
    await store.save(store.models.Todo.copyOf(item.data()!, (d) => void (d.title = 'A')));
    await vi.waitFor(() => expect(item.data()?.title).toBe('A'));
    await store.delete(item.data()!);
    await vi.waitFor(() => expect(item.data()).toBeUndefined());
  });
});
