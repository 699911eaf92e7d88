import { createDataStore, IndexedDBAdapter } from '@offgrid/core';
import { schema, type Models } from './models';

// #region tabs
// IndexedDB stores coordinate across tabs by default: one tab (elected with Web Locks) syncs, the others
// follow its changes and status over a BroadcastChannel named after `name`.
const store = createDataStore<Models>({
  schema,
  name: 'todos', // tabs with the same name share one leader
  storage: new IndexedDBAdapter({ name: 'todos' }),
  sync: { url: 'https://sync.example.com/graphql', auth: { apiKey: 'public-key' } },
  // tabs: false, // every tab syncs on its own instead
});
// #endregion tabs
export { store };
