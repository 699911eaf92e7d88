import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageAdapter } from '@offgrid/core';
import { describeDataStoreConformance, describeStorageConformance } from '@offgrid/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { betterSqlite3Driver } from './better-sqlite3-driver';
import { loadNodeSqlite } from './node-sqlite-driver';
import { createSqliteAdapter } from './create-sqlite-adapter';
import type { SqliteAdapter } from './sqlite-adapter';
import type { SqliteDriverKind } from './open-sqlite-driver';

// Every adapter gets a new file; reopen closes it and opens a fresh adapter on the same file, as a restart would.
const dir = mkdtempSync(join(tmpdir(), 'offgrid-sqlite-conformance-'));
let n = 0;
const files = new WeakMap<object, string>();

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The suites run on every driver this Node has: better-sqlite3 where it is installed and built for this Node
// (CI builds it for Node 20 and Node 24), node:sqlite from Node 22.13 on.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const nodeSqliteExpected = major > 22 || (major === 22 && minor >= 13);
const nodeSqliteAvailable = (await loadNodeSqlite()) !== undefined;
const betterSqlite3Available = await betterSqlite3Driver(':memory:').then(
  (d) => (d.close(), true),
  () => false,
);

describe('SQLite drivers on this Node', () => {
  it('node:sqlite exists from Node 22.13 on, and some driver exists everywhere', () => {
    expect(nodeSqliteAvailable).toBe(nodeSqliteExpected);
    expect(nodeSqliteAvailable || betterSqlite3Available).toBe(true);
  });
});

const drivers: Exclude<SqliteDriverKind, 'auto'>[] = [
  ...(betterSqlite3Available ? (['better-sqlite3'] as const) : []),
  ...(nodeSqliteAvailable ? (['node:sqlite'] as const) : []),
];

for (const driver of drivers) {
  const openFile = (file: string): SqliteAdapter => {
    const adapter = createSqliteAdapter(file, { driver });
    files.set(adapter, file);
    return adapter;
  };
  const reopen = async (previous: StorageAdapter) => {
    const file = files.get(previous);
    if (!file) throw new Error('reopen: not an adapter made by this test');
    await previous.close();
    return openFile(file);
  };

  describeStorageConformance(`sqlite on ${driver} (file)`, () => openFile(join(dir, `store-${++n}.db`)), { reopen });
  describeStorageConformance(`sqlite on ${driver} (:memory:)`, () => createSqliteAdapter(':memory:', { driver }));
  describeDataStoreConformance(`sqlite on ${driver} (file)`, () => openFile(join(dir, `store-${++n}.db`)), { reopen });
}
