// @vitest-environment node
import { prefetchQueries } from '@offgrid/core';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataStoreProvider, useDataStore } from '../data-store-context';
import { useItem } from '../use-item';
import { useQuery } from '../use-query';
import { useRecordStatus } from '../use-record-status';
import { useSyncStatus } from '../use-sync-status';
import { makeStore, type Models, type Todo } from './test-store';
import { countLiveSubscriptions } from '@offgrid/core/testing';

function Page({ id }: { id: string }) {
  const { Todo } = useDataStore<Models>().models;
  const todos = useQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') });
  const item = useItem(Todo, id);
  const sync = useSyncStatus();
  useRecordStatus(item.data);
  return (
    <main>
      <p>{todos.isLoading ? 'loading' : todos.data.map((t: Todo) => t.title).join(',')}</p>
      <p>{item.data?.title ?? '-'}</p>
      <p>{sync.state}</p>
    </main>
  );
}

describe('server rendering (react-dom/server)', () => {
  it('renders a loading state and leaves no live subscription on a store shared by requests', async () => {
    const store = makeStore();
    const t = await store.save(new store.models.Todo({ title: 'a', done: false }));
    const live = countLiveSubscriptions(store);
    for (let i = 0; i < 6; i++) {
      const html = renderToString(
        <DataStoreProvider store={store}>
          <Page id={t.id} />
        </DataStoreProvider>,
      );
      expect(html).toContain('loading');
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(live()).toEqual({ liveQueries: 0, syncStatus: 0, events: 0 });
  });

  it('renders prefetched rows on the server (initialQueries), still without subscribing', async () => {
    const store = makeStore();
    const { Todo } = store.models;
    await store.saveMany([new Todo({ title: 'b', done: false }), new Todo({ title: 'a', done: false })]);
    store.liveQueries.gracePeriodMs = 0;
    const initialQueries = await prefetchQueries([store.liveQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })]);
    await new Promise((r) => setTimeout(r, 5));
    const live = countLiveSubscriptions(store);
    const html = renderToString(
      <DataStoreProvider store={store} initialQueries={JSON.parse(JSON.stringify(initialQueries))}>
        <Page id="none" />
      </DataStoreProvider>,
    );
    expect(html).toContain('a,b');
    expect(live()).toEqual({ liveQueries: 0, syncStatus: 0, events: 0 });
  });
});
