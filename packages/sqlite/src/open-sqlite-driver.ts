import { type BetterSqlite3DriverOptions, betterSqlite3Driver } from './better-sqlite3-driver';
import { loadNodeSqlite, nodeSqliteDriver } from './node-sqlite-driver';
import type { SqliteDriver } from './sqlite-driver';
import { SqliteDriverMissingError } from './sqlite-driver-missing-error';

/**
 * Which SQLite binding {@link openSqliteDriver} uses: `'auto'` (the default) takes Node's built-in
 * `node:sqlite` where it exists (Node 22.13+), else better-sqlite3.
 *
 * @example
 * const kind: SqliteDriverKind = 'better-sqlite3'
 */
export type SqliteDriverKind = 'auto' | 'node:sqlite' | 'better-sqlite3';

/**
 * Options for {@link openSqliteDriver} and `createSqliteAdapter`.
 *
 * @example
 * const options: OpenSqliteDriverOptions = { driver: 'node:sqlite', busyTimeoutMs: 10_000 }
 */
export interface OpenSqliteDriverOptions extends BetterSqlite3DriverOptions {
  /** Which binding to use; default `'auto'`. */
  driver?: SqliteDriverKind;
}

/**
 * Opens a SQLite file with the binding this runtime has: `node:sqlite` on Node 22.13+ (nothing to install
 * or compile), else better-sqlite3 (an optional dependency: npm installs it where it can build, as on Node 20).
 * When neither loads, it fails with a {@link SqliteDriverMissingError} saying what to install.
 *
 * @example
 * const storage = new SqliteAdapter({ driver: () => openSqliteDriver('app.db') })
 */
export async function openSqliteDriver(filename: string, options: OpenSqliteDriverOptions = {}): Promise<SqliteDriver> {
  const { driver: kind = 'auto', ...driverOptions } = options;
  if (kind === 'node:sqlite') return nodeSqliteDriver(filename, driverOptions);
  if (kind === 'auto' && (await loadNodeSqlite())) return nodeSqliteDriver(filename, driverOptions);
  try {
    return await betterSqlite3Driver(filename, driverOptions);
  } catch (cause) {
    if (cause instanceof SqliteDriverMissingError && kind === 'auto') {
      throw new SqliteDriverMissingError(
        `No SQLite driver on Node ${process.versions.node}: node:sqlite needs Node 22.13 or later, and better-sqlite3 ` +
          'could not be loaded. Run `npm install better-sqlite3` (or use Node 22.13+), or pass your own SqliteDriver ' +
          'to new SqliteAdapter({ driver }).',
        { cause: cause.cause },
      );
    }
    throw cause;
  }
}
