/**
 * `@offgrid/core/amplify`: Amplify DataStore's names and call shapes, so an Amplify app moves to Offgrid by
 * changing its imports and configuration.
 */
export { AmplifyDataStore, DataStore, Hub, initAmplifySchema as initSchema, syncExpression, type AmplifyConfig, type SyncExpression } from './amplify/amplify-datastore';
export { Predicates, SortDirection } from './predicates/predicate-types';
export { DISCARD } from './conflict/conflict-handler';
export { IndexedDBAdapter } from './storage/indexeddb/indexeddb-adapter';
export { MemoryAdapter } from './storage/memory/memory-adapter';
