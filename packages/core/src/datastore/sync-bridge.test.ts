import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { DataStoreEvent } from '../events/datastore-event';
import { ChangeFeed, type RecordChange } from '../observe/change-feed';
import { materializeRecord } from '../schema/model-record';
import { IndexedDBAdapter } from '../storage/indexeddb/indexeddb-adapter';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import type { StorageAdapter } from '../storage/storage-adapter';
import { todoSchema, type TodoModels } from '../test-fixtures/todo-schema';
import { createDataStore } from './data-store';
import { SyncBridge } from './sync-bridge';

type Rec = Record<string, unknown>;
const now = () => new Date(Date.UTC(2026, 0, 1));
let databases = 0;
const adapters: Array<[string, () => StorageAdapter]> = [
  ['memory', () => new MemoryAdapter()],
  ['indexeddb', () => new IndexedDBAdapter({ name: `sync-bridge-${++databases}`, indexedDB: new IDBFactory() })],
];

const todo = (id: string, version: number, title = `${id} v${version}`, deleted = false): Rec => ({
  __typename: 'Todo',
  id,
  title,
  done: false,
  _version: version,
  _lastChangedAt: 1000 + version,
  _deleted: deleted,
});

/** A local store (for local writes) and a sync bridge over the same storage, with the bridge's change feed recorded. */
async function setup(storage: StorageAdapter) {
  const store = createDataStore<TodoModels>({ schema: todoSchema, storage, now, queryCache: false, tabs: false });
  await store.start();
  const model = (name: string) => todoSchema.models[name]!;
  const ctx = { schema: todoSchema, storage, loader: store, model, materialize: (m: string, s: Rec) => materializeRecord(todoSchema, model(m), s), now };
  const feed = new ChangeFeed();
  const changes: RecordChange[] = [];
  feed.batches$.subscribe((b) => changes.push(...b.changes));
  const bridge = new SyncBridge(ctx, feed, new Subject<DataStoreEvent>(), () => undefined);
  const todos = async () => {
    const rows = await storage.read((tx) => tx.query('Todo', {}));
    return Object.fromEntries(rows.map((r) => [r.id as string, { title: r.title, _version: r._version }]));
  };
  const outbox = () => storage.read((tx) => tx.outbox());
  return { store, bridge, changes, todos, outbox, storage };
}

/**
 * A full sync in three pages with what may happen meanwhile: a record repeated in a later page (newer),
 * a tombstone, a live update newer than a later page's copy, a live create the server's pages do not
 * have, a local create acknowledged before a page carries an older copy, and a local edit still pending.
 */
async function fullSyncWithEverythingMeanwhile(s: Awaited<ReturnType<typeof setup>>) {
  const { store, bridge } = s;
  const run = bridge.beginFullSync('Todo');
  const counts = [];
  try {
    counts.push(await bridge.applyRemote('Todo', [todo('a', 1), todo('b', 1), todo('gone', 3, 'gone', true)], undefined, run));
    await bridge.applyRemote('Todo', [todo('c', 5, 'live c')]);
    await bridge.applyRemote('Todo', [todo('live-only', 1)]);
    const mine = await store.save(new store.models.Todo({ id: 'mine', title: 'mine', done: false }));
    const [created] = await s.outbox();
    await bridge.acknowledge(created!, { ...mine, _version: 2, _lastChangedAt: 2000, _deleted: false });
    const edited = await store.save(new store.models.Todo({ id: 'pending', title: 'local edit', done: true }));
    counts.push(await bridge.applyRemote('Todo', [todo('c', 4, 'old c'), todo('mine', 1, 'old mine'), todo('b', 2), todo('pending', 1, 'server')], undefined, run));
    counts.push(
      await bridge.applyRemote('Todo', [todo('d', 1), todo('gone', 2, 'gone but older')], { name: 'sync:cursor:Todo', value: { lastSync: 1 } }, run),
    );
    const removed = await bridge.reconcile(run);
    return { counts, removed, edited, fromEmpty: run.fromEmpty };
  } finally {
    bridge.endFullSync(run);
  }
}

describe.each(adapters)('SyncBridge full sync on %s', (_name, makeStorage) => {
  it('into an empty model: keeps live changes and local writes made meanwhile, as a sync into a non-empty model does', async () => {
    const empty = await setup(makeStorage());
    const fromEmpty = await fullSyncWithEverythingMeanwhile(empty);

    // The same with one unrelated record stored before (so every record is read and compared).
    const filled = await setup(makeStorage());
    await filled.bridge.applyRemote('Todo', [todo('unrelated', 1)]);
    filled.changes.length = 0;
    const usual = await fullSyncWithEverythingMeanwhile(filled);

    const expected = {
      a: { title: 'a v1', _version: 1 },
      b: { title: 'b v2', _version: 2 },
      c: { title: 'live c', _version: 5 },
      d: { title: 'd v1', _version: 1 },
      mine: { title: 'mine', _version: 2 },
      pending: { title: 'local edit', _version: undefined },
    };
    expect(await empty.todos()).toEqual(expected);
    // Both remove what the server's pages did not have and no local change holds (no ghosts).
    expect(await filled.todos()).toEqual(expected);
    expect((await empty.outbox()).map((e) => e.key)).toEqual(['pending']);
    expect(fromEmpty.counts).toEqual(usual.counts);
    expect(fromEmpty.counts[1]).toEqual({ new: 0, updated: 1, deleted: 0, skipped: 1 });
    const described = (changes: RecordChange[]) => changes.map((c) => `${c.type} ${c.key} ${(c.record ?? c.previous)?.title}`);
    expect(described(empty.changes)).toEqual(described(filled.changes).filter((c) => !c.includes('unrelated')));
    expect(fromEmpty.removed).toBe(1);
    // The first took the path that reads no local copies; the second read and compared each record.
    expect([fromEmpty.fromEmpty, usual.fromEmpty]).toEqual([true, false]);
  });

  it('into an empty model: a record another writer put meanwhile, unseen by the bridge, is still reconciled away', async () => {
    const { bridge, storage, todos } = await setup(makeStorage());
    const run = bridge.beginFullSync('Todo');
    await bridge.applyRemote('Todo', [todo('a', 1), todo('b', 1)], undefined, run);
    // As another tab's sync would, straight into the shared storage.
    await storage.write((tx) => tx.put('Todo', 'stray', { id: 'stray', title: 'stray', done: false, _version: 1 }));
    await bridge.applyRemote('Todo', [todo('c', 1)], undefined, run);
    expect(await bridge.reconcile(run)).toBe(1);
    bridge.endFullSync(run);
    expect(Object.keys(await todos()).sort()).toEqual(['a', 'b', 'c']);
  });

  it('makes the records of remote changes when a listener reads them: frozen, the same object on every read, copied by a spread', async () => {
    const { bridge, changes } = await setup(makeStorage());
    await bridge.applyRemote('Todo', [todo('a', 1), todo('b', 1)]);
    await bridge.applyRemote('Todo', [todo('a', 2, 'a again')]);
    const [first, , update] = changes;
    expect(first!.record).toBe(first!.record);
    expect(Object.isFrozen(first!.record)).toBe(true);
    expect(first!.record).toMatchObject({ id: 'a', title: 'a v1', _version: 1 });
    expect(update).toMatchObject({ type: 'update', record: { title: 'a again' }, previous: { title: 'a v1' } });
    expect({ ...update! }.previous).toBe(update!.previous);
  });
});
