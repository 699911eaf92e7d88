import 'fake-indexeddb/auto';
import { IDBFactory, IDBIndex, IDBObjectStore } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageQuery } from '../../predicates/predicate-node';
import { conformanceSchema } from '../conformance/fixture-schema';
import { oracleQuery } from '../conformance/query-oracle';
import type { StoredRecord } from '../storage-adapter';
import { IndexedDBAdapter } from './indexeddb-adapter';

/** Records handed out by getAll and by cursors, per kind of source. */
const reads = { store: 0, index: 0 };

function count(proto: { getAll: unknown; openCursor: unknown; getAllRecords?: unknown }, kind: keyof typeof reads) {
  const getAll = proto.getAll as (...args: unknown[]) => IDBRequest<unknown[]>;
  const getAllRecords = proto.getAllRecords as ((...args: unknown[]) => IDBRequest<unknown[]>) | undefined;
  if (getAllRecords) {
    proto.getAllRecords = function (this: unknown, ...args: unknown[]) {
      const request = getAllRecords.apply(this, args);
      request.addEventListener('success', () => (reads[kind] += request.result.length));
      return request;
    };
  }
  const openCursor = proto.openCursor as (...args: unknown[]) => IDBRequest<IDBCursorWithValue | null>;
  proto.getAll = function (this: unknown, ...args: unknown[]) {
    const request = getAll.apply(this, args);
    request.addEventListener('success', () => (reads[kind] += request.result.length));
    return request;
  };
  // A cursor request fires 'success' once per record it moves to.
  proto.openCursor = function (this: unknown, ...args: unknown[]) {
    const request = openCursor.apply(this, args);
    request.addEventListener('success', () => (reads[kind] += request.result ? 1 : 0));
    return request;
  };
  return () => {
    if (getAllRecords) proto.getAllRecords = getAllRecords;
    proto.getAll = getAll;
    proto.openCursor = openCursor;
  };
}

const OWNERS = 50;
const PER_OWNER = 20;
const todos: StoredRecord[] = [];
for (let i = 0; i < OWNERS * PER_OWNER; i++) {
  const record: StoredRecord = { id: `t${String(i).padStart(5, '0')}`, title: `todo ${i}`, done: i % 3 === 0, priority: i % 6 };
  record.owner = `owner${i % OWNERS}`;
  // Every 10th todo has no updatedAt, as records created offline do before the server stamps them.
  if (i % 10 !== 7) record.updatedAt = new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 100_000) * 60_000).toISOString();
  todos.push(record);
}
const entries = todos.map((r) => [String(r.id), r] as const);

describe('IndexedDBAdapter query planning', () => {
  let adapter: IndexedDBAdapter;
  const restore: Array<() => void> = [];

  beforeAll(async () => {
    adapter = new IndexedDBAdapter({ name: 'plans', indexedDB: new IDBFactory() });
    await adapter.open();
    await adapter.prepare(conformanceSchema);
    await adapter.write(async (tx) => {
      for (const r of todos) await tx.put('Todo', String(r.id), r);
    });
    restore.push(count(IDBObjectStore.prototype, 'store'), count(IDBIndex.prototype, 'index'));
  });
  afterAll(async () => {
    for (const r of restore) r();
    await adapter.close();
  });

  async function measured(query: StorageQuery) {
    reads.store = 0;
    reads.index = 0;
    const result = await adapter.read((tx) => tx.query('Todo', query));
    expect(result).toEqual(oracleQuery(entries, query));
    return { ...reads };
  }

  it('owner = X order by updatedAt desc limit N reads about N records through the index', async () => {
    const r = await measured({
      predicate: { type: 'field', field: 'owner', op: 'eq', value: 'owner7' },
      sort: [{ field: 'updatedAt', direction: 'desc' }],
      limit: 5,
    });
    expect(r.store).toBe(0);
    expect(r.index).toBeLessThanOrEqual(6);
  });

  it('past the indexed part, it continues with the records missing updatedAt from the owner index', async () => {
    const r = await measured({
      predicate: { type: 'field', field: 'owner', op: 'eq', value: 'owner7' },
      sort: [{ field: 'updatedAt', direction: 'desc' }],
      limit: 10,
      offset: 15,
    });
    expect(r.store).toBe(0);
    expect(r.index).toBeLessThanOrEqual(PER_OWNER + 2);
  });

  it('an eq and a range read only the range', async () => {
    const r = await measured({
      predicate: {
        type: 'and',
        children: [
          { type: 'field', field: 'owner', op: 'eq', value: 'owner3' },
          { type: 'field', field: 'updatedAt', op: 'ge', value: '2024-02-01' },
          { type: 'field', field: 'done', op: 'eq', value: false },
        ],
      },
      sort: [{ field: 'priority', direction: 'asc' }],
    });
    expect(r.store).toBe(0);
    expect(r.index).toBeLessThan(PER_OWNER);
  });

  it('ascending (missing values first) reads the owner partition, not the table', async () => {
    const r = await measured({
      predicate: { type: 'field', field: 'owner', op: 'eq', value: 'owner9' },
      sort: [{ field: 'updatedAt', direction: 'asc' }],
      limit: 3,
    });
    expect(r.store).toBe(0);
    expect(r.index).toBeLessThanOrEqual(PER_OWNER);
  });

  it('key order with a limit stops after the page', async () => {
    const r = await measured({ limit: 10, offset: 5 });
    expect(r.store).toBe(15);
  });

  it('a predicate no index serves (a boolean) scans the store once', async () => {
    const r = await measured({ predicate: { type: 'field', field: 'done', op: 'eq', value: true }, limit: 5 });
    expect(r.index).toBe(0);
    expect(r.store).toBeLessThanOrEqual(todos.length);
  });
});
