import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDataStoreConformance, describeStorageConformance } from '@offgrid/core/testing';
import { afterAll } from 'vitest';
import { type SqliteAdapter, createSqliteAdapter } from './sqlite-adapter';

// Every adapter gets a new file; reopen closes it and opens a fresh adapter on the same file, as a restart would.
const dir = mkdtempSync(join(tmpdir(), 'offgrid-sqlite-conformance-'));
let n = 0;
const files = new WeakMap<object, string>();

function openFile(file: string): SqliteAdapter {
  const adapter = createSqliteAdapter(file);
  files.set(adapter, file);
  return adapter;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStorageConformance('sqlite (file)', () => openFile(join(dir, `store-${++n}.db`)), {
  reopen: async (previous) => {
    const file = files.get(previous);
    if (!file) throw new Error('reopen: not an adapter made by this test');
    await previous.close();
    return openFile(file);
  },
});

describeStorageConformance('sqlite (:memory:)', () => createSqliteAdapter(':memory:'));

describeDataStoreConformance('sqlite (file)', () => openFile(join(dir, `store-${++n}.db`)), {
  reopen: async (previous) => {
    const file = files.get(previous);
    if (!file) throw new Error('reopen: not an adapter made by this test');
    await previous.close();
    return openFile(file);
  },
});
