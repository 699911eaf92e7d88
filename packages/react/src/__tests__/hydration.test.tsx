import { prefetchQueries } from '@offgrid/core';
import { act } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataStoreProvider, useDataStore } from '../data-store-context';
import { useQuery } from '../use-query';
import { makeStore, type Models } from './test-store';

const shown: string[] = [];

function OpenTodos() {
  const { Todo } = useDataStore<Models>().models;
  const { data, isLoading } = useQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') });
  const text = isLoading ? 'loading' : data.map((t) => t.title).join(',');
  shown.push(text);
  return <p>{text}</p>;
}

describe('server rendering with data, then hydration (react-dom/server + hydrateRoot)', () => {
  it('the client hydrates the prefetched rows with no loading flash and no mismatch, then follows writes', async () => {
    // The server: its own store, a prefetch, a render, and the state as JSON in the page.
    const server = makeStore();
    await server.saveMany([new server.models.Todo({ id: 'b', title: 'b', done: false }), new server.models.Todo({ id: 'a', title: 'a', done: false })]);
    const prefetched = await prefetchQueries([server.liveQuery(server.models.Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })]);
    const page = JSON.stringify(prefetched);
    const html = renderToString(
      <DataStoreProvider store={server} initialQueries={prefetched}>
        <OpenTodos />
      </DataStoreProvider>,
    );
    expect(html).toBe('<p>a,b</p>');

    // The browser: a store holding the same records (synced), the HTML, and the state from the page.
    const client = makeStore();
    await client.saveMany([new client.models.Todo({ id: 'b', title: 'b', done: false }), new client.models.Todo({ id: 'a', title: 'a', done: false })]);
    const container = document.createElement('div');
    container.innerHTML = html;
    const errors: unknown[] = [];
    shown.length = 0;
    await act(async () => {
      hydrateRoot(
        container,
        <DataStoreProvider store={client} initialQueries={JSON.parse(page)}>
          <OpenTodos />
        </DataStoreProvider>,
        { onRecoverableError: (e) => errors.push(e) },
      );
    });
    await act(() => new Promise((r) => setTimeout(r, 10)));
    expect(errors).toEqual([]);
    expect(shown).not.toContain('loading');
    expect(container.innerHTML).toBe('<p>a,b</p>');

    await act(() => client.save(new client.models.Todo({ id: 'c', title: 'c', done: false })));
    expect(container.innerHTML).toBe('<p>a,b,c</p>');
  });
});
