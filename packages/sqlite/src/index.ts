export { SqliteAdapter, createSqliteAdapter, type SqliteAdapterOptions } from './sqlite-adapter';
export {
  betterSqlite3Driver,
  type BetterSqlite3Database,
  type BetterSqlite3DriverOptions,
} from './better-sqlite3-driver';
export type { MaybePromise, SqliteDriver, SqliteRunResult, SqliteStatement, SqliteValue } from './sqlite-driver';
