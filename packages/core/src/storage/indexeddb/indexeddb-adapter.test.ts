import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { describeStorageConformance } from '../conformance/storage-conformance';
import { IndexedDBAdapter } from './indexeddb-adapter';

const origins = new WeakMap<IndexedDBAdapter, { factory: IDBFactory; name: string }>();
let databases = 0;

/** A fresh in-memory IndexedDB per adapter, so tests never share a database. */
function create(origin = { factory: new IDBFactory(), name: `conformance-${++databases}` }) {
  const adapter = new IndexedDBAdapter({ name: origin.name, indexedDB: origin.factory });
  origins.set(adapter, origin);
  return adapter;
}

describeStorageConformance('indexeddb', () => create(), {
  async reopen(previous) {
    await previous.close();
    return create(origins.get(previous as IndexedDBAdapter));
  },
});

describe('IndexedDBAdapter', () => {
  it('explains what to do when there is no IndexedDB', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true, writable: true });
    try {
      expect(() => new IndexedDBAdapter({ name: 'x' })).toThrow(/IndexedDB is not available.*indexedDB/);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'indexedDB', saved);
    }
  });

  it('closes on versionchange so another connection can upgrade, then reopens on next use', async () => {
    const { conformanceSchema, conformanceSchemaV2 } = await import('../conformance/fixture-schema');
    const factory = new IDBFactory();
    const tab1 = create({ factory, name: 'tabs' });
    const tab2 = create({ factory, name: 'tabs' });
    await tab1.open();
    await tab1.prepare(conformanceSchema);
    await tab1.write((tx) => tx.put('Todo', 't1', { id: 't1', title: 'a', done: false }));
    await tab2.open();
    await tab2.prepare(conformanceSchemaV2); // upgrades: tab1 must let go or this never resolves
    expect(await tab1.read((tx) => tx.get('Todo', 't1'))).toEqual({ id: 't1', title: 'a', done: false });
    await tab1.write((tx) => tx.put('Tag', 'g1', { id: 'g1', label: 'x' }));
    expect(await tab2.read((tx) => tx.get('Tag', 'g1'))).toEqual({ id: 'g1', label: 'x' });
    await tab1.close();
    await tab2.close();
  });

  it('names the model when a query uses one that prepare never created', async () => {
    const adapter = create();
    await adapter.open();
    await expect(adapter.read((tx) => tx.get('Nope', 'x'))).rejects.toThrow(/no object store for model "Nope"/);
    await adapter.close();
  });
});
