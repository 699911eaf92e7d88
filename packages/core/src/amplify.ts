/**
 * `@offgrid/core/amplify`: Amplify DataStore's names, call shapes, callback arguments and Hub payloads, so an
 * Amplify app moves to Offgrid by changing its imports and configuration.
 */
export { AmplifyDataStore, DataStore, Hub, initAmplifySchema as initSchema, syncExpression } from './amplify/amplify-datastore';
export {
  AuthModeStrategyType,
  OpType,
  ProcessName,
  type AmplifyConfig,
  type AmplifyConflictHandler,
  type DataStoreSnapshot,
  type ErrorType,
  type HubCallback,
  type HubCapsule,
  type PersistentModel,
  type SubscriptionMessage,
  type SyncConflict,
  type SyncError,
  type SyncExpression,
} from './amplify/amplify-types';
export { Predicates, SortDirection } from './predicates/predicate-types';
export type { NormalizedSchema } from '@offgrid/schema';
export { DISCARD } from './conflict/conflict-handler';
export type { ModelConstructor, ModelInit, MutableModel } from './schema/init-schema';
export type { NonModelConstructor } from './amplify/non-model-classes';
export type { AsyncCollection } from './predicates/predicate-types';
export { IndexedDBAdapter } from './storage/indexeddb/indexeddb-adapter';
export { MemoryAdapter } from './storage/memory/memory-adapter';
