// #region server
import { prefetchQueries } from '@offgrid/core';
import { DataStoreProvider, useQuery } from '@offgrid/react';
import type { ReactNode } from 'react';
import { store } from './create-store';
import { Todo } from './models';

declare function renderToString(node: ReactNode): string; // from 'react-dom/server'

function OpenTodos() {
  const { data, isLoading } = useQuery(Todo, (t) => t.done.eq(false), { sort: (s) => s.title('ASCENDING') });
  return isLoading ? <p>Loading…</p> : <ul>{data.map((t) => <li key={t.id}>{t.title}</li>)}</ul>;
}

export async function renderPage(): Promise<string> {
  // Read the page's queries once; the same query in a component renders these rows, not a loading state.
  const initialQueries = await prefetchQueries([store.liveQuery(Todo, (t) => t.done.eq(false), { sort: (s) => s.title('ASCENDING') })]);
  const html = renderToString(
    <DataStoreProvider store={store} initialQueries={initialQueries}>
      <OpenTodos />
    </DataStoreProvider>,
  );
  // Hand the rows to the browser with the HTML (escape `<` in real pages).
  return `<div id="root">${html}</div><script>window.__OFFGRID__ = ${JSON.stringify(initialQueries)}</script>`;
}
// #endregion server

// #region client
import type { DehydratedQueries } from '@offgrid/core';

declare function hydrateRoot(container: Element, node: ReactNode): void; // from 'react-dom/client'
const initialQueries = (window as unknown as { __OFFGRID__: DehydratedQueries }).__OFFGRID__;

// The browser's store shows the server's rows at once; its live query takes over when its own read arrives.
hydrateRoot(
  document.getElementById('root')!,
  <DataStoreProvider store={store} initialQueries={initialQueries}>
    <OpenTodos />
  </DataStoreProvider>,
);
// #endregion client
