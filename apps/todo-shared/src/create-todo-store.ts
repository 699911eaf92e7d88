import { createDataStore, IndexedDBAdapter, type DataStore, type StorageAdapter } from '@offgrid/core';
import { todoSchema, type TodoModels } from './todo-schema';

/** Where the demo's sync server is: `?server=` in the page URL, else the build's env, else localhost:4000. */
export function serverUrl(): string {
  const fromQuery = new URLSearchParams(globalThis.location?.search ?? '').get('server');
  const fromEnv = (import.meta as { env?: Record<string, string | undefined> }).env?.VITE_OFFGRID_URL;
  return fromQuery ?? fromEnv ?? 'http://127.0.0.1:4000/graphql';
}

/**
 * The store every demo app uses: IndexedDB in the browser (or the `storage` given), synced with `offgrid serve`.
 *
 * @example
 * const store = createTodoStore()
 */
export function createTodoStore(
  options: {
    url?: string;
    apiKey?: string;
    dbName?: string;
    /** The signed-in user's token, if the app signs users in (then local data is kept to that user: `sync.userChange`). */
    token?: () => string | undefined;
    /** Local storage (default IndexedDB named after the database). */
    storage?: (dbName: string) => StorageAdapter;
  } = {},
): DataStore<TodoModels> {
  const params = new URLSearchParams(globalThis.location?.search ?? '');
  const dbName = options.dbName ?? params.get('db') ?? 'offgrid-todos';
  return createDataStore<TodoModels>({
    schema: todoSchema,
    name: dbName,
    storage: options.storage?.(dbName) ?? new IndexedDBAdapter({ name: dbName }),
    sync: {
      url: options.url ?? serverUrl(),
      auth: { apiKey: options.apiKey ?? params.get('apiKey') ?? 'demo-key', ...(options.token ? { token: options.token } : {}) },
      retry: { baseMs: 200, capMs: 5000 },
    },
  });
}
