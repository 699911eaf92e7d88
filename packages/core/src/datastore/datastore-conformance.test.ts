import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import { IndexedDBAdapter } from '../storage/indexeddb/indexeddb-adapter';
import { describeDataStoreConformance } from './datastore-conformance';

describeDataStoreConformance('memory', () => new MemoryAdapter(), { reopen: async (previous) => previous });

let factory = new IDBFactory();
let n = 0;
describeDataStoreConformance(
  'IndexedDB',
  () => {
    factory = new IDBFactory();
    return new IndexedDBAdapter({ name: `ds-${n++}`, indexedDB: factory });
  },
  {
    reopen: async (previous) => {
      await previous.close();
      return new IndexedDBAdapter({ name: `ds-${n - 1}`, indexedDB: factory });
    },
  },
);
