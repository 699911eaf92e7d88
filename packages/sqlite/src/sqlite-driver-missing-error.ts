import { OffgridError } from '@offgrid/core';

/**
 * No SQLite binding could be loaded: this Node has no `node:sqlite` (before 22.13) and `better-sqlite3` is
 * not installed or not built for this Node. The message says what to install.
 *
 * @example
 * try { await storage.open() } catch (e) {
 *   if (e instanceof SqliteDriverMissingError) console.error(e.message) // "... run `npm install better-sqlite3` ..."
 * }
 */
export class SqliteDriverMissingError extends OffgridError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SQLITE_DRIVER_MISSING', message, options);
  }
}
