export { SqliteAdapter, type SqliteAdapterOptions } from './sqlite-adapter';
export { createSqliteAdapter } from './create-sqlite-adapter';
export {
  betterSqlite3Driver,
  type BetterSqlite3Database,
  type BetterSqlite3DriverOptions,
} from './better-sqlite3-driver';
export { nodeSqliteDriver, type NodeSqliteDatabase, type NodeSqliteDriverOptions } from './node-sqlite-driver';
export { openSqliteDriver, type OpenSqliteDriverOptions, type SqliteDriverKind } from './open-sqlite-driver';
export { SqliteDriverMissingError } from './sqlite-driver-missing-error';
export type { MaybePromise, SqliteDriver, SqliteRunResult, SqliteStatement, SqliteValue } from './sqlite-driver';
