import { Component, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication, type BootstrapContext } from '@angular/platform-browser';
import { provideServerRendering, renderApplication } from '@angular/platform-server';
import { prefetchQueries, type DataStore, type DehydratedQueries } from '@offgrid/core';
import { countLiveSubscriptions } from '@offgrid/core/testing';
import { describe, expect, it } from 'vitest';
import { injectDataStore, injectItem, injectQuery, injectRecordStatus, injectSyncStatus, provideDataStore } from '../index';
import { createTestStore, type Models } from './test-store';

@Component({
  selector: 'app-page',
  template: `<p id="list">@if (todos.isLoading()) {loading} @else {@for (t of todos.data(); track t.id) {{{ t.title }};}}</p><p>{{ item.data()?.title ?? '-' }}</p><p>{{ sync().state }}</p>`,
})
class Page {
  readonly todos = injectQuery(injectDataStore<Models>().models.Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') });
  readonly item = injectItem(injectDataStore<Models>().models.Todo, 'some-id');
  readonly sync = injectSyncStatus();
  readonly status = injectRecordStatus(() => this.item.data());
}

function renderPage(store: DataStore<Models>, initialQueries?: DehydratedQueries): Promise<string> {
  const bootstrap = (context: BootstrapContext) =>
    bootstrapApplication(
      Page,
      { providers: [provideZonelessChangeDetection(), provideServerRendering(), provideDataStore(store, initialQueries ? { initialQueries } : {})] },
      context,
    );
  return renderApplication(bootstrap, { document: '<html><body><app-page></app-page></body></html>', url: '/' });
}

describe('server rendering (@angular/platform-server renderApplication)', () => {
  it('renders a loading state and leaves no live subscription on a store shared by requests', async () => {
    const store = createTestStore();
    await store.save(new store.models.Todo({ title: 'a', done: false }));
    const live = countLiveSubscriptions(store);
    for (let i = 0; i < 6; i++) expect(await renderPage(store)).toContain('loading');
    await new Promise((r) => setTimeout(r, 0));
    expect(live()).toEqual({ liveQueries: 0, syncStatus: 0, events: 0 });
  });

  it('renders prefetched rows (initialQueries), still without subscribing', async () => {
    const store = createTestStore();
    const { Todo } = store.models;
    await store.saveMany([new Todo({ title: 'b', done: false }), new Todo({ title: 'a', done: false })]);
    store.liveQueries.gracePeriodMs = 0;
    const initialQueries = await prefetchQueries([store.liveQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })]);
    await new Promise((r) => setTimeout(r, 5));
    const live = countLiveSubscriptions(store);
    const html = await renderPage(store, JSON.parse(JSON.stringify(initialQueries)));
    expect(html).toContain('a;b;');
    expect(live()).toEqual({ liveQueries: 0, syncStatus: 0, events: 0 });
  });
});
