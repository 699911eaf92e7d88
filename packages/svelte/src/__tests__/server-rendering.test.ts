// @vitest-environment node
import { countLiveSubscriptions } from '@offgrid/core/testing';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
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
