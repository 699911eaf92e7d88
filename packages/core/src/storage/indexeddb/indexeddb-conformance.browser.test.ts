import { describeDataStoreConformance } from '../../datastore/datastore-conformance';
import { describeStorageConformance } from '../conformance/storage-conformance';
import { IndexedDBAdapter } from './indexeddb-adapter';

// The browser's own IndexedDB (Chromium), not fake-indexeddb: what the store runs on in users' apps. Every
// adapter gets a database of its own; reopen closes it and opens the same database, as a reload would.
const run = crypto.randomUUID().slice(0, 8);
let n = 0;
const names = new WeakMap<object, string>();

function open(name: string): IndexedDBAdapter {
  const adapter = new IndexedDBAdapter({ name });
  names.set(adapter, name);
  return adapter;
}

async function reopen(previous: unknown): Promise<IndexedDBAdapter> {
  const name = names.get(previous as object);
  if (!name) throw new Error('reopen: not an adapter made by this test');
  await (previous as IndexedDBAdapter).close();
  return open(name);
}

const fresh = () => open(`conformance-${run}-${++n}`);

describeStorageConformance('indexeddb (Chromium)', fresh, { reopen });
describeDataStoreConformance('indexeddb (Chromium)', fresh, { reopen });
