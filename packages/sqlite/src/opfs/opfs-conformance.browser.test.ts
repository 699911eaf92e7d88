import type { StorageAdapter } from '@offgrid/core';
import { describeDataStoreConformance, describeStorageConformance } from '@offgrid/core/testing';
import { createOpfsSqliteAdapter } from '../opfs';

// Every adapter gets a new OPFS file; reopen closes it and opens a fresh adapter on the same file, as a reload would.
const run = crypto.randomUUID().slice(0, 8);
let n = 0;
const files = new WeakMap<object, string>();

function openFile(file: string): StorageAdapter {
  const adapter = createOpfsSqliteAdapter({ file });
  files.set(adapter, file);
  return adapter;
}

async function reopen(previous: StorageAdapter): Promise<StorageAdapter> {
  const file = files.get(previous);
  if (!file) throw new Error('reopen: not an adapter made by this test');
  await previous.close();
  return openFile(file);
}

const fresh = () => openFile(`conformance-${run}-${++n}.db`);

describeStorageConformance('sqlite on OPFS (Chromium)', fresh, { reopen });
describeDataStoreConformance('sqlite on OPFS (Chromium)', fresh, { reopen });
