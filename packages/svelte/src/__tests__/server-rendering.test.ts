// @vitest-environment node
import { prefetchQueries } from '@offgrid/core';
import { countLiveSubscriptions } from '@offgrid/core/testing';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import PrefetchedTodos from './PrefetchedTodos.svelte';
import SsrPage from './SsrPage.svelte';
import { todoStore } from './todo-store';

describe('server rendering (svelte/server render)', () => {
  it('renders a loading state and leaves no live subscription on a store shared by requests', async () => {
    const store = todoStore();
    const t = await store.save(new store.models.Todo({ title: 'a', done: false }));
    const live = countLiveSubscriptions(store);
    for (let i = 0; i < 6; i++) expect(render(SsrPage, { props: { store, id: t.id } }).body).toContain('loading');
    await new Promise((r) => setTimeout(r, 0));
    expect(live()).toEqual({ liveQueries: 0, syncStatus: 0, events: 0 });
  });
});

describe('server rendering with data (svelte/server render + prefetchQueries)', () => {
  it('createQuery renders prefetched rows, still without subscribing', async () => {
    const store = todoStore();
    const { Todo } = store.models;
    await store.saveMany([new Todo({ title: 'b', done: false }), new Todo({ title: 'a', done: false })]);
    store.liveQueries.gracePeriodMs = 0;
    const initialQueries = await prefetchQueries([store.liveQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })]);
    await new Promise((r) => setTimeout(r, 5));
    const live = countLiveSubscriptions(store);
    const { body } = render(PrefetchedTodos, { props: { store, initialQueries: JSON.parse(JSON.stringify(initialQueries)) } });
    expect(body).toContain('a,b');
    expect(live()).toEqual({ liveQueries: 0, syncStatus: 0, events: 0 });
  });
});
