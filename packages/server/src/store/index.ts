export type {
  ChangePage,
  RecordStore,
  RecordTransaction,
  RecordWrite,
  ServerRecord,
  StoredMutationResult,
} from './record-store';
export { SqliteRecordStore, type SqliteRecordStoreOptions } from './sqlite-record-store';
export { PostgresRecordStore, type PostgresRecordStoreOptions } from './postgres-record-store';
export { SyncMarkConflictError, TransactionClosedError, UnknownModelError } from './store-errors';
