/**
 * The browser group's systems, with the interface of `src/systems/*.mjs` (open, bulkLoad, save, queryOwner,
 * prepareUpdates, update, watch, finalState, close), on the browser's own IndexedDB. Bundled by esbuild
 * into the page (`src/browser/page.mjs`); each system is its own chunk, loaded only by its page.
 */
import { SDL } from '../config.mjs';

const LIMIT = 100;

/** Offgrid's DataStore on IndexedDBAdapter, with the defaults an app gets (tabs coordination included). */
async function offgridIndexedDB() {
  const { parseSchema } = await import('@offgrid/schema');
  const { createDataStore, IndexedDBAdapter } = await import('@offgrid/core');
  const schema = parseSchema(SDL);
  return {
    label: 'Offgrid + IndexedDBAdapter (Chromium IndexedDB)',
    storage: 'indexeddb',
    notes: [
      'every save writes its outbox entry in the same transaction',
      'answers a repeated identical query from its query cache while no write touched the model (W3 repeats each of 50 queries 20x)',
    ],
    async open(run) {
      const store = createDataStore({ schema, storage: new IndexedDBAdapter({ name: `offgrid-bench-${run}` }), name: `bench-${run}` });
      await store.start();
      return { store, Item: store.models.Item };
    },
    bulkLoad: ({ store, Item }, records) => store.saveMany(records.map((r) => new Item(r))),
    save: ({ store, Item }, record) => store.save(new Item(record)),
    queryOwner: ({ store, Item }, owner) =>
      store.query(Item, (p) => p.owner.eq(owner), { sort: (s) => s.changedAt('DESCENDING'), limit: LIMIT }),
    prepareUpdates: ({ store, Item }, ids) => Promise.all(ids.map((id) => store.query(Item, id))),
    update: ({ store, Item }, record, priority) =>
      store.save(
        Item.copyOf(record, (d) => {
          d.priority = priority;
        }),
      ),
    watch({ store, Item }, priority, onItems) {
      const sub = store.observeQuery(Item, (p) => p.priority.eq(priority)).subscribe(({ items }) => onItems(items));
      return () => sub.unsubscribe();
    },
    async finalState({ store, Item }) {
      const all = await store.query(Item);
      return { count: all.length, prioritySum: all.reduce((sum, r) => sum + r.priority, 0), outbox: (await store.pendingMutations()).length };
    },
    close: ({ store }) => store.close(),
  };
}

/** The OPFS adapter's worker, bundled by run.mjs as /opfs-worker.js; one factory, so every run shares the tab's worker. */
const opfsWorker = () => new Worker('/opfs-worker.js', { type: 'module', name: 'offgrid-opfs' });

/** Offgrid's DataStore on SQLite in OPFS (`@offgrid/sqlite/opfs`), with the defaults an app gets (tab coordination on). */
async function offgridOpfs() {
  const base = await offgridIndexedDB();
  const { parseSchema } = await import('@offgrid/schema');
  const { createDataStore } = await import('@offgrid/core');
  const { createOpfsSqliteAdapter } = await import('@offgrid/sqlite/opfs');
  const schema = parseSchema(SDL);
  return {
    ...base,
    label: 'Offgrid + SQLite on OPFS (sqlite-wasm, SAH pool, Chromium)',
    storage: 'opfs',
    notes: [
      'every save writes its outbox entry in the same transaction',
      'SQLite runs in a dedicated worker: each statement is a message round trip from the page',
      'answers a repeated identical query from its query cache while no write touched the model (W3 repeats each of 50 queries 20x)',
    ],
    async open(run) {
      const storage = createOpfsSqliteAdapter({ file: `offgrid-bench-${run}.sqlite3`, worker: opfsWorker });
      const store = createDataStore({ schema, storage, name: `bench-opfs-${run}` });
      await store.start();
      return { store, Item: store.models.Item };
    },
  };
}

/** Dexie on the browser's IndexedDB, the same store definition as the Node group. */
async function dexie() {
  const { default: Dexie, liveQuery } = await import('dexie');
  return {
    label: 'Dexie (Chromium IndexedDB)',
    storage: 'indexeddb',
    notes: ['writes no outbox (records only)'],
    async open(run) {
      const db = new Dexie(`dexie-bench-${run}`);
      db.version(1).stores({ items: 'id, [owner+changedAt], priority' });
      await db.open();
      return db;
    },
    bulkLoad: (db, records) => db.items.bulkAdd(records),
    save: (db, record) => db.items.add(record),
    queryOwner: (db, owner) =>
      db.items.where('[owner+changedAt]').between([owner, Dexie.minKey], [owner, Dexie.maxKey]).reverse().limit(LIMIT).toArray(),
    prepareUpdates: (_db, ids) => ids,
    update: (db, id, priority) => db.items.update(id, { priority }),
    watch(db, priority, onItems) {
      const sub = liveQuery(() => db.items.where('priority').equals(priority).toArray()).subscribe({ next: onItems });
      return () => sub.unsubscribe();
    },
    async finalState(db) {
      const all = await db.items.toArray();
      return { count: all.length, prioritySum: all.reduce((sum, r) => sum + r.priority, 0) };
    },
    close: async (db) => db.close(),
  };
}

/** RxDB on its free IndexedDB-based storage (`storage-dexie`), dev-mode off. */
async function rxdb() {
  const rx = await import('rxdb');
  const { getRxStorageDexie } = await import('rxdb/plugins/storage-dexie');
  const { schema } = await import('../systems/rxdb-schema.mjs');
  return {
    label: 'RxDB (storage-dexie on Chromium IndexedDB)',
    storage: 'indexeddb',
    notes: [
      'writes no outbox',
      'answers a repeated identical query from its RxQuery cache while the collection is unchanged (W3 repeats each of 50 queries 20x)',
    ],
    async open(run) {
      const db = await rx.createRxDatabase({ name: `rxdb-bench-${run}`, storage: getRxStorageDexie(), multiInstance: false, eventReduce: true });
      await db.addCollections({ items: { schema } });
      return db;
    },
    async bulkLoad(db, records) {
      const { error } = await db.items.bulkInsert(records);
      if (error.length > 0) throw new Error(`bulkInsert: ${error.length} errors, first ${JSON.stringify(error[0])}`);
    },
    save: (db, record) => db.items.insert(record),
    queryOwner: (db, owner) => db.items.find({ selector: { owner }, sort: [{ changedAt: 'desc' }], limit: LIMIT }).exec(),
    async prepareUpdates(db, ids) {
      const docs = await db.items.findByIds(ids).exec();
      return ids.map((id) => docs.get(id));
    },
    update: (_db, doc, priority) => doc.incrementalPatch({ priority }),
    watch(db, priority, onItems) {
      const sub = db.items.find({ selector: { priority } }).$.subscribe(onItems);
      return () => sub.unsubscribe();
    },
    async finalState(db) {
      const all = await db.items.find().exec();
      return { count: all.length, prioritySum: all.reduce((sum, d) => sum + d.priority, 0) };
    },
    close: (db) => db.close(),
  };
}

/** Amplify DataStore, local-only (no API configured), on the browser's IndexedDB. */
async function amplify() {
  const { Amplify } = await import('aws-amplify');
  Amplify.configure({});
  const ds = await import('@aws-amplify/datastore');
  const { amplifySchema } = await import('../systems/amplify-schema.mjs');
  const { DataStore, SortDirection } = ds;
  const { Item } = ds.initSchema(amplifySchema);
  return {
    label: 'Amplify DataStore (Chromium IndexedDB)',
    storage: 'indexeddb',
    notes: ['local-only (no API configured): no sync engine, no outbox written', 'has no bulk save: W1 is one awaited DataStore.save per record'],
    // W3 at ~2.6 s a query (it loads and sorts the table in memory) would take most of the page's time limit at 200 queries.
    limits: (config) => ({ w4Writes: config.records > 2000 ? 20 : 3, w1Runs: 1, w3Queries: Math.min(config.w3Queries, 50) }),
    w4TimeoutMs: 10_000,
    async open(run) {
      if (run > 0) await DataStore.clear();
      await DataStore.start();
      return {};
    },
    async bulkLoad(_db, records) {
      for (const r of records) await DataStore.save(new Item(r));
    },
    save: (_db, record) => DataStore.save(new Item(record)),
    queryOwner: (_db, owner) =>
      DataStore.query(Item, (c) => c.owner.eq(owner), { sort: (s) => s.changedAt(SortDirection.DESCENDING), limit: LIMIT }),
    prepareUpdates: (_db, ids) => Promise.all(ids.map((id) => DataStore.query(Item, id))),
    update: (_db, record, priority) =>
      DataStore.save(
        Item.copyOf(record, (d) => {
          d.priority = priority;
        }),
      ),
    watch(_db, priority, onItems) {
      const sub = DataStore.observeQuery(Item, (c) => c.priority.eq(priority)).subscribe(({ items }) => onItems(items));
      return () => sub.unsubscribe();
    },
    async finalState() {
      const all = await DataStore.query(Item);
      return { count: all.length, prioritySum: all.reduce((sum, r) => sum + r.priority, 0) };
    },
    close: () => DataStore.stop(),
  };
}

/** Every browser system by id (the ids of `results/browser.json`). */
export const BROWSER_SYSTEMS = {
  'offgrid-indexeddb': offgridIndexedDB,
  'offgrid-opfs': offgridOpfs,
  dexie,
  rxdb,
  amplify,
};
