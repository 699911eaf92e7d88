// #region opfs
import { createDataStore, IndexedDBAdapter, type StorageAdapter } from '@offgrid/core';
import { createOpfsSqliteAdapter, detectOpfsSupport, type OpfsEvent } from '@offgrid/sqlite/opfs';
import { schema, type Models } from './models'; // written by `offgrid codegen`

function browserStorage(): StorageAdapter {
  const support = detectOpfsSupport();
  if (!support.supported) {
    console.info(`SQLite on OPFS unavailable (${support.reason}); using IndexedDB`);
    return new IndexedDBAdapter({ name: 'todos' });
  }
  return createOpfsSqliteAdapter({
    file: 'todos.db',
    onEvent: (event: OpfsEvent) => {
      // 'owner': this tab runs the database; 'follower': another tab does, and this one goes through it.
      if (event.type === 'unavailable') console.warn(event.reason);
    },
  });
}

export const store = createDataStore<Models>({ schema, storage: browserStorage() });
// #endregion opfs

// #region fallback
import { OpfsUnavailableError } from '@offgrid/sqlite/opfs';

/** Opening can still find OPFS unusable (the worker checks what the page cannot): then start on IndexedDB. */
export async function startStore() {
  const first = createDataStore<Models>({ schema, storage: browserStorage() });
  try {
    await first.start();
    return first;
  } catch (error) {
    if (!(error instanceof OpfsUnavailableError)) throw error;
    await first.close();
    const fallback = createDataStore<Models>({ schema, storage: new IndexedDBAdapter({ name: 'todos' }) });
    await fallback.start();
    return fallback;
  }
}
// #endregion fallback

// #region worker
// A bundler that does not follow `new Worker(new URL(...))`: build '@offgrid/sqlite/opfs-worker' as its own file
// (with @sqlite.org/sqlite-wasm's sqlite3.wasm beside it) and start it yourself.
export const withOwnWorker = createOpfsSqliteAdapter({
  file: 'todos.db',
  worker: () => new Worker('/opfs-worker.js', { type: 'module' }),
});
// #endregion worker
