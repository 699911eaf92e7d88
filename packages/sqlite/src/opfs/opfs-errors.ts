import { OffgridError } from '@offgrid/core';

/**
 * This browser cannot run SQLite on OPFS: the Origin Private File System, its synchronous access handles,
 * module workers, Web Locks or BroadcastChannel are missing (an old browser, a private window of some
 * browsers, a non-browser runtime). Nothing was written. Fall back to another storage, e.g.
 * `new IndexedDBAdapter()` from `@offgrid/core`.
 *
 * @example
 * try { await storage.open() } catch (e) { if (e instanceof OpfsUnavailableError) useIndexedDB() }
 */
export class OpfsUnavailableError extends OffgridError {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      'OPFS_UNAVAILABLE',
      `SQLite on OPFS is not available here: ${reason}. Use another storage adapter in this browser ` +
        '(new IndexedDBAdapter() from @offgrid/core), or check first with detectOpfsSupport().',
      options,
    );
  }
}

/**
 * The tab that served the database closed (or its worker stopped) while this tab's statement was on its
 * way. The statement's transaction was rolled back with that tab, so nothing of it was written; another tab
 * now serves the database, and the same write can simply be tried again.
 *
 * @example
 * store.save(todo).catch((e) => { if (e instanceof OpfsOwnerGoneError) return store.save(todo) })
 */
export class OpfsOwnerGoneError extends OffgridError {
  constructor(detail: string) {
    super('OPFS_OWNER_GONE', `SQLite on OPFS: ${detail}; the transaction was rolled back and nothing of it was written. Try the write again.`);
  }
}
