/**
 * Every system the benchmark knows, in table order, each loaded lazily so a child process imports only its
 * own (Amplify installs browser globals; DataStore is a process singleton).
 * `ref` is the Offgrid system on the same storage, for the "vs same storage" ratio.
 */
export const SYSTEMS = [
  { id: 'offgrid-sqlite', load: async () => (await import('./offgrid.mjs')).offgrid('sqlite') },
  { id: 'offgrid-memory', load: async () => (await import('./offgrid.mjs')).offgrid('memory') },
  { id: 'offgrid-indexeddb', load: async () => (await import('./offgrid.mjs')).offgrid('indexeddb') },
  { id: 'sqlite-raw', ref: 'offgrid-sqlite', load: async () => (await import('./sqlite-raw.mjs')).sqliteRaw({ outbox: false }) },
  { id: 'sqlite-raw-outbox', ref: 'offgrid-sqlite', load: async () => (await import('./sqlite-raw.mjs')).sqliteRaw({ outbox: true }) },
  { id: 'rxdb-memory', ref: 'offgrid-memory', load: async () => (await import('./rxdb.mjs')).rxdb() },
  { id: 'dexie', ref: 'offgrid-indexeddb', load: async () => (await import('./dexie.mjs')).dexie() },
  { id: 'amplify', ref: 'offgrid-indexeddb', load: async () => (await import('./amplify.mjs')).amplify() },
];
