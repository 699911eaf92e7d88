// #region server
import { prefetchQueries, type DehydratedQueries } from '@offgrid/core';
import { createDataStorePlugin, useQuery } from '@offgrid/vue';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { store } from './create-store';
import { Todo } from './models';

const OpenTodos = defineComponent({
  setup() {
    const { data, isLoading } = useQuery(Todo, (t) => t.done.eq(false), { sort: (s) => s.title('ASCENDING') });
    return () => (isLoading.value ? h('p', 'Loading…') : h('ul', data.value.map((t) => h('li', { key: t.id }, t.title))));
  },
});

export async function renderPage(): Promise<string> {
  // Read the page's queries once; the same query in a component renders these rows, not a loading state.
  const initialQueries = await prefetchQueries([store.liveQuery(Todo, (t) => t.done.eq(false), { sort: (s) => s.title('ASCENDING') })]);
  const html = await renderToString(createSSRApp(OpenTodos).use(createDataStorePlugin(store, { initialQueries })));
  // Hand the rows to the browser with the HTML (escape `<` in real pages).
  return `<div id="app">${html}</div><script>window.__OFFGRID__ = ${JSON.stringify(initialQueries)}</script>`;
}
// #endregion server

// #region client
const initialQueries = (window as unknown as { __OFFGRID__: DehydratedQueries }).__OFFGRID__;

// The browser's store shows the server's rows at once; its live query takes over when its own read arrives.
createSSRApp(OpenTodos).use(createDataStorePlugin(store, { initialQueries })).mount('#app');
// #endregion client
