import { prefetchQueries } from '@offgrid/core';
import { countLiveSubscriptions } from '@offgrid/core/testing';
import { describe, expect, it } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createDataStorePlugin, type DataStorePluginOptions } from '../data-store-plugin';
import { useDataStore } from '../use-data-store';
import { useItem } from '../use-item';
import { useQuery } from '../use-query';
import { useRecordStatus } from '../use-record-status';
import { useSyncStatus } from '../use-sync-status';
import { createTestStore, type Models } from './test-store';

const Page = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    const { Todo } = useDataStore<Models>().models;
    const todos = useQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') });
    const item = useItem(Todo, () => props.id);
    const sync = useSyncStatus();
    useRecordStatus(() => item.data.value);
    return () =>
      h('main', [
        h('p', { id: 'list' }, todos.isLoading.value ? 'loading' : todos.data.value.map((t) => t.title).join(',')),
        h('p', item.data.value?.title ?? '-'),
        h('p', sync.value.state),
      ]);
  },
});

function pageApp(store: ReturnType<typeof createTestStore>, id: string, options?: DataStorePluginOptions) {
  return createSSRApp(Page, { id }).use(createDataStorePlugin(store, options));
}

describe('server rendering (@vue/server-renderer)', () => {
  it('renders a loading state and leaves no live subscription on a store shared by requests', async () => {
    const store = createTestStore();
    const t = await store.save(new store.models.Todo({ title: 'a', done: false }));
    const live = countLiveSubscriptions(store);
    for (let i = 0; i < 6; i++) expect(await renderToString(pageApp(store, t.id))).toContain('loading');
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
    const html = await renderToString(pageApp(store, 'none', { initialQueries: JSON.parse(JSON.stringify(initialQueries)) }));
    expect(html).toContain('a,b');
    expect(live()).toEqual({ liveQueries: 0, syncStatus: 0, events: 0 });
  });
});
