import { IndexedDBAdapter, type StorageAdapter } from '@offgrid/core';
import { createOpfsSqliteAdapter, detectOpfsSupport } from '@offgrid/sqlite/opfs';

/**
 * The demo's local storage: IndexedDB, or SQLite on OPFS with `?storage=opfs` where the browser has it (it
 * falls back to IndexedDB, and says so, where it does not).
 *
 * @example
 * createTodoStore({ storage: chooseStorage })
 */
export function chooseStorage(dbName: string): StorageAdapter {
  if (new URLSearchParams(globalThis.location?.search ?? '').get('storage') !== 'opfs') return new IndexedDBAdapter({ name: dbName });
  const support = detectOpfsSupport();
  if (!support.supported) {
    console.warn(`[todo] SQLite on OPFS is not available (${support.reason}); using IndexedDB`);
    return new IndexedDBAdapter({ name: dbName });
  }
  return createOpfsSqliteAdapter({
    file: `${dbName.replace(/[^\w.-]/g, '_')}.sqlite3`,
    onEvent: (event) => {
      if (event.type === 'unavailable') console.warn(`[todo] SQLite on OPFS could not open: ${event.reason}`);
    },
  });
}
