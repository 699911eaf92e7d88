import { createDataStore, MemoryAdapter } from '@offgrid/core';
import { DataStoreProvider, useQuery, useRecordStatus, useSyncStatus } from '@offgrid/react';
import { parseSchema } from '@offgrid/schema';
import { createElement, version, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { act } from 'react-dom/test-utils';
import { describe, expect, it } from 'vitest';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const schema = parseSchema(`type Todo @model { id: ID! title: String! done: Boolean! }`);

describe('@offgrid/react on React 18', () => {
  it('runs on React 18', () => {
    expect(version.startsWith('18.')).toBe(true);
  });

  it('renders the first snapshot, follows writes, shows status, and stops listening on unmount', async () => {
    const store = createDataStore<{ Todo: Record<string, any> }>({ schema, storage: new MemoryAdapter() });
    const { Todo } = store.models;
    const first = await store.save(new Todo({ title: 'a', done: false }));
    const seen: string[] = [];
    function Titles(): ReactElement {
      const { data, isLoading } = useQuery(Todo, (p: any) => p.done.eq(false), { sort: (s: any) => s.title('ASCENDING') });
      const sync = useSyncStatus();
      const status = useRecordStatus(first);
      seen.push(isLoading ? 'loading' : `${sync.state}:${status?.status}:${data.map((t) => t.title).join(',')}`);
      return createElement('span', null, String(data.length));
    }
    const container = document.createElement('div');
    const root = createRoot(container);
    await act(async () => {
      root.render(createElement(DataStoreProvider, { store, children: createElement(Titles) }));
    });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(seen.at(-1)).toBe('stopped:pending:a');
    await act(async () => {
      await store.save(new Todo({ title: 'b', done: false }));
    });
    expect(seen.at(-1)).toBe('stopped:pending:a,b');
    expect(container.textContent).toBe('2');
    await act(async () => root.unmount());
    const renders = seen.length;
    await store.save(new Todo({ title: 'c', done: false }));
    expect(seen.length).toBe(renders);
  });
});
