import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SDL } from '../config.mjs';
import { versionOf } from '../versions.mjs';


/** Storage adapters, each found by name in the built packages; a missing export makes the system skip. */
const STORAGES = {
  memory: {
    label: 'Offgrid + MemoryAdapter',
    storage: 'memory',
    async make() {
      const { MemoryAdapter } = await import('@offgrid/core');
      return { storage: new MemoryAdapter() };
    },
    async check() {
      const core = await import('@offgrid/core');
      return core.MemoryAdapter ? undefined : '@offgrid/core does not export MemoryAdapter';
    },
  },
  indexeddb: {
    label: 'Offgrid + IndexedDBAdapter (fake-indexeddb)',
    storage: 'indexeddb',
    async make(run) {
      // The adapter (through `idb`) checks `instanceof IDBRequest` etc., so the IDB classes must be
      // globals even when the factory is passed in; fake-indexeddb/auto installs them.
      await import('fake-indexeddb/auto');
      const { IndexedDBAdapter } = await import('@offgrid/core');
      const { IDBFactory } = await import('fake-indexeddb');
      return { storage: new IndexedDBAdapter({ name: `bench-${run}`, indexedDB: new IDBFactory() }) };
    },
    async check() {
      const core = await import('@offgrid/core');
      return core.IndexedDBAdapter ? undefined : '@offgrid/core does not export IndexedDBAdapter yet (build packages/core once it lands)';
    },
  },
  sqlite: {
    label: 'Offgrid + SQLite (better-sqlite3, temp file)',
    storage: 'sqlite',
    async make() {
      const sqlite = await import('@offgrid/sqlite');
      const file = join(tmpdir(), `offgrid-bench-${randomUUID()}.sqlite`);
      const storage = sqlite.createSqliteAdapter
        ? sqlite.createSqliteAdapter(file)
        : new sqlite.SqliteAdapter({ driver: sqlite.betterSqlite3Driver(file) });
      return { storage, cleanup: () => ['', '-wal', '-shm'].forEach((s) => rmSync(file + s, { force: true })) };
    },
    async check() {
      const sqlite = await import('@offgrid/sqlite');
      if (sqlite.createSqliteAdapter || (sqlite.SqliteAdapter && sqlite.betterSqlite3Driver)) return undefined;
      return '@offgrid/sqlite exports neither createSqliteAdapter nor SqliteAdapter + betterSqlite3Driver yet (build packages/sqlite once it lands)';
    },
  },
};

/** Offgrid's DataStore over one storage adapter. Every save writes the record and its outbox entry in one transaction. */
export function offgrid(kind) {
  const s = STORAGES[kind];
  return {
    label: s.label,
    storage: s.storage,
    family: 'offgrid',
    notes: [
      'answers a repeated identical query from its query cache while no write touched the model (W3 repeats each of 50 queries 20x; W3 reads no storage after the first 50)',
    ],
    async available() {
      const reason = await s.check();
      return reason ? { ok: false, reason } : { ok: true, version: `@offgrid/core ${versionOf('@offgrid/core')}` };
    },
    async open(run) {
      const { parseSchema } = await import('@offgrid/schema');
      const { createDataStore } = await import('@offgrid/core');
      const { storage, cleanup } = await s.make(run);
      // Counts read transactions, so W4 can show what identical live queries cost (one read each query).
      const reads = { count: 0 };
      const read = storage.read.bind(storage);
      storage.read = (fn) => {
        reads.count++;
        return read(fn);
      };
      const store = createDataStore({ schema: parseSchema(SDL), storage });
      await store.start();
      return { store, Item: store.models.Item, cleanup, reads };
    },
    bulkLoad: ({ store, Item }, records) => store.saveMany(records.map((r) => new Item(r))),
    save: ({ store, Item }, record) => store.save(new Item(record)),
    queryOwner: ({ store, Item }, owner) =>
      store.query(Item, (p) => p.owner.eq(owner), { sort: (s) => s.changedAt('DESCENDING'), limit: 100 }),
    prepareUpdates: ({ store, Item }, ids) => Promise.all(ids.map((id) => store.query(Item, id))),
    update: ({ store, Item }, record, priority) =>
      store.save(
        Item.copyOf(record, (d) => {
          d.priority = priority;
        }),
      ),
    storageReads: ({ reads }) => reads.count,
    watch({ store, Item }, priority, onItems) {
      const sub = store.observeQuery(Item, (p) => p.priority.eq(priority)).subscribe(({ items }) => onItems(items));
      return () => sub.unsubscribe();
    },
    async finalState({ store, Item }) {
      const all = await store.query(Item);
      const outbox = (await store.pendingMutations()).length;
      return { count: all.length, prioritySum: all.reduce((sum, r) => sum + r.priority, 0), outbox };
    },
    async close({ store, cleanup }) {
      await store.close();
      cleanup?.();
    },
  };
}
