/**
 * What {@link detectOpfsSupport} found: `supported`, or the first missing piece in `reason`.
 *
 * @example
 * const support: OpfsSupport = { supported: false, reason: 'Web Locks (navigator.locks) is missing' }
 */
export type OpfsSupport = { supported: true } | { supported: false; reason: string };

interface Globals {
  navigator?: { storage?: { getDirectory?: unknown }; locks?: unknown };
  Worker?: unknown;
  BroadcastChannel?: unknown;
}

/**
 * The browser APIs the OPFS adapter's page side needs, checked without starting anything. The worker checks
 * the rest (synchronous access handles exist only in workers) when it opens the database.
 */
export function missingOpfsApi(globals: Globals = globalThis as Globals): string | undefined {
  if (typeof globals.Worker !== 'function') return 'Web Workers are missing';
  if (!globals.navigator?.storage?.getDirectory) return 'the Origin Private File System (navigator.storage.getDirectory) is missing';
  if (!globals.navigator.locks) return 'Web Locks (navigator.locks) is missing';
  if (typeof globals.BroadcastChannel !== 'function') return 'BroadcastChannel is missing';
  return undefined;
}

/**
 * Whether this browser can run SQLite on OPFS, checked without opening a database: decide between
 * `createOpfsSqliteAdapter` and IndexedDB before creating the store.
 *
 * @example
 * import { createOpfsSqliteAdapter, detectOpfsSupport } from '@offgrid/sqlite/opfs'
 * import { IndexedDBAdapter } from '@offgrid/core'
 * const storage = detectOpfsSupport().supported ? createOpfsSqliteAdapter({ file: 'todos.db' }) : new IndexedDBAdapter()
 */
export function detectOpfsSupport(): OpfsSupport {
  const reason = missingOpfsApi();
  return reason === undefined ? { supported: true } : { supported: false, reason };
}
