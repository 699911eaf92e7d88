// @vitest-environment jsdom
import { prefetchQueries } from '@offgrid/core';
import { describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, h, nextTick } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createDataStorePlugin } from '../data-store-plugin';
import { useDataStore } from '../use-data-store';
import { useQuery } from '../use-query';
import { createTestStore, type Models } from './test-store';

const shown: string[] = [];

const OpenTodos = defineComponent({
  setup() {
    const { Todo } = useDataStore<Models>().models;
    const { data, isLoading } = useQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') });
    return () => {
      const text = isLoading.value ? 'loading' : data.value.map((t) => t.title).join(',');
      shown.push(text);
      return h('p', text);
    };
  },
});

async function seeded() {
  const store = createTestStore();
  await store.saveMany([new store.models.Todo({ id: 'b', title: 'b', done: false }), new store.models.Todo({ id: 'a', title: 'a', done: false })]);
  return store;
}

describe('server rendering with data, then hydration (@vue/server-renderer + createSSRApp)', () => {
  it('the client hydrates the prefetched rows with no loading flash and no mismatch, then follows writes', async () => {
    const server = await seeded();
    const initialQueries = await prefetchQueries([server.liveQuery(server.models.Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })]);
    const page = JSON.stringify(initialQueries);
    const html = await renderToString(createSSRApp(OpenTodos).use(createDataStorePlugin(server, { initialQueries })));
    expect(html).toBe('<p>a,b</p>');

    const client = await seeded();
    const container = document.createElement('div');
    container.innerHTML = html;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    shown.length = 0;
    createSSRApp(OpenTodos).use(createDataStorePlugin(client, { initialQueries: JSON.parse(page) })).mount(container);
    await new Promise((r) => setTimeout(r, 10));
    // Vue reports a hydration mismatch through console.warn/error.
    expect([...warn.mock.calls, ...error.mock.calls]).toEqual([]);
    warn.mockRestore();
    error.mockRestore();
    expect(shown).not.toContain('loading');
    expect(container.innerHTML).toBe('<p>a,b</p>');

    await client.save(new client.models.Todo({ id: 'c', title: 'c', done: false }));
    await nextTick();
    expect(container.innerHTML).toBe('<p>a,b,c</p>');
  });
});
