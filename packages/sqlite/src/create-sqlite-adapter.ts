import { type OpenSqliteDriverOptions, openSqliteDriver } from './open-sqlite-driver';
import { SqliteAdapter } from './sqlite-adapter';

/**
 * An adapter over a SQLite database file (created if missing); `':memory:'` for a throwaway one. The driver
 * is chosen on first use: Node's built-in `node:sqlite` on Node 22.13+, else better-sqlite3 (see
 * {@link openSqliteDriver}); `{ driver: 'better-sqlite3' }` forces one.
 *
 * @example
 * const store = createDataStore({ schema, storage: createSqliteAdapter('app.db') })
 */
export function createSqliteAdapter(filename: string, options: OpenSqliteDriverOptions = {}): SqliteAdapter {
  return new SqliteAdapter({ driver: () => openSqliteDriver(filename, options) });
}
