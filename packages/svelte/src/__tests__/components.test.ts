import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '@offgrid/core';
import { flushSync } from 'svelte';
import FilteredTodos from './FilteredTodos.svelte';
import FirstSyncBar from './FirstSyncBar.svelte';
import TodoTitles from './TodoTitles.svelte';
import { todoStore } from './todo-store';

const store = todoStore();
// Tests share the store: a query of an earlier test must not still be running in its grace period.
store.liveQueries.gracePeriodMs = 0;
const { Todo } = store.models;
afterEach(async () => {
  // Unmount first: a component of an earlier test would otherwise share its running query with the next.
  cleanup();
  await new Promise((r) => setTimeout(r, 0));
  await store.clear();
});

const titles = () => screen.queryAllByRole('listitem').map((li) => li.textContent);

describe('$queryStore in a component', () => {
  it('renders the records and follows changes', async () => {
    await store.saveMany([new Todo({ title: 'b', done: false }), new Todo({ title: 'a', done: true })]);
    render(TodoTitles, { store });
    expect(screen.getByText('loading')).toBeTruthy();
    await screen.findByText('a');
    expect(titles()).toEqual(['a', 'b']);

    await store.save(new Todo({ title: 'c', done: false }));
    await screen.findByText('c');
    expect(titles()).toEqual(['a', 'b', 'c']);
  });
});

describe('createQuery', () => {
  it('re-queries when the inputs it reads change', async () => {
    await store.saveMany([new Todo({ title: 'open', done: false }), new Todo({ title: 'finished', done: true })]);
    render(FilteredTodos, { store });
    await screen.findByText('open');
    expect(titles()).toEqual(['open']);

    await fireEvent.click(screen.getByRole('button'));
    await screen.findByText('finished');
    expect(titles()).toEqual(['finished']);

    await store.save(new Todo({ title: 'also finished', done: true }));
    await screen.findByText('also finished');
    expect(titles()).toEqual(['also finished', 'finished']);
  });

  it('keeps the previous records while the new query loads', async () => {
    await store.saveMany([new Todo({ title: 'open', done: false })]);
    render(FilteredTodos, { store });
    await screen.findByText('open');
    await fireEvent.click(screen.getByRole('button'));
    // Between the switch and the new snapshot the old records stay, marked as loading.
    const list = screen.getByRole('list');
    expect(list.dataset.loading).toBe('true');
    expect(titles()).toEqual(['open']);
    await new Promise((r) => setTimeout(r, 30));
    expect(list.dataset.loading).toBe('false');
    expect(titles()).toEqual([]);
  });
});

describe('$syncProgressStore in a component', () => {
  it('shows a first sync as it moves, then hides the bar', () => {
    // The engine's states are core's to test; here a stand-in for `syncStatus$` replays its latest value.
    let current: SyncStatus = { state: 'syncing', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 1000, applied: 0, total: 4000, done: false } } };
    const listeners = new Set<(s: SyncStatus) => void>();
    const status = {
      next(s: SyncStatus) {
        current = s;
        for (const l of [...listeners]) l(s);
      },
      subscribe(l: (s: SyncStatus) => void) {
        listeners.add(l);
        l(current);
        return { unsubscribe: () => void listeners.delete(l) };
      },
    };
    const fake = Object.create(store, { syncStatus$: { value: status } });
    const { unmount } = render(FirstSyncBar, { store: fake });
    const bar = () => document.querySelector('progress');
    expect(bar()?.textContent).toBe('0/4000');

    status.next({ state: 'syncing', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 1000, applied: 1000, total: 4000, done: false } } });
    flushSync();
    expect(bar()?.getAttribute('max')).toBe('4000');
    expect(bar()?.textContent).toBe('1000/4000');

    status.next({ state: 'synced', pending: 0, rejected: 0, progress: { Todo: { type: 'full', received: 4000, applied: 4000, total: 4000, done: true } } });
    flushSync();
    expect(bar()).toBeNull();
    expect(screen.getByText('hidden')).toBeTruthy();
    unmount();
    expect(listeners.size).toBe(0);
  });
});
