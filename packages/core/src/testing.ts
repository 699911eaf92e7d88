/**
 * Test helpers for storage adapter authors: `@offgrid/core/testing`.
 *
 * @example
 * import { describeStorageConformance } from '@offgrid/core/testing'
 * describeStorageConformance('sqlite', () => new SqliteAdapter({ filename: ':memory:' }))
 */
export { describeStorageConformance } from './storage/conformance/storage-conformance';
export type { AdapterFactory, StorageConformanceOptions } from './storage/conformance/storage-conformance';
export { conformanceSchema, conformanceSchemaV2 } from './storage/conformance/fixture-schema';
export { oracleQuery } from './storage/conformance/query-oracle';
export { describeDataStoreConformance, type DataStoreConformanceOptions } from './datastore/datastore-conformance';
export { countLiveSubscriptions, type LiveSubscriptions } from './observe/live-subscriptions';
