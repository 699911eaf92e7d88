// #region sqlite
import { createDataStore } from '@offgrid/core';
import { createSqliteAdapter } from '@offgrid/sqlite';
import { schema, type Models } from './models';

// Node or Electron: a real SQLite file. Without `sync` the store is local-only.
const store = createDataStore<Models>({ schema, storage: createSqliteAdapter('todos.sqlite') });
// #endregion sqlite
// #region memory
import { MemoryAdapter } from '@offgrid/core';

const testStore = createDataStore<Models>({ schema, storage: new MemoryAdapter() }); // tests, SSR
// #endregion memory
export { store, testStore };
