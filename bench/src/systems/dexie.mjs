import { versionOf } from '../versions.mjs';

/** Dexie over fake-indexeddb. It keeps no outbox: W1/W2 write the records only. */
export function dexie() {
  let Dexie;
  let liveQuery;
  let fake;
  return {
    label: 'Dexie (fake-indexeddb)',
    storage: 'indexeddb',
    notes: ['writes no outbox (records only)'],
    async available() {
      ({ default: Dexie, liveQuery } = await import('dexie'));
      fake = await import('fake-indexeddb');
      // liveQuery() does nothing unless Dexie's global dependencies name an IndexedDB, even when every
      // database gets its own factory; in Node there is no global one.
      Dexie.dependencies.indexedDB ??= new fake.IDBFactory();
      Dexie.dependencies.IDBKeyRange ??= fake.IDBKeyRange;
      return { ok: true, version: `dexie ${versionOf('dexie')}` };
    },
    async open(run) {
      const db = new Dexie(`bench-${run}`, { indexedDB: new fake.IDBFactory(), IDBKeyRange: fake.IDBKeyRange });
      db.version(1).stores({ items: 'id, [owner+changedAt], priority' });
      await db.open();
      return db;
    },
    bulkLoad: (db, records) => db.items.bulkAdd(records),
    save: (db, record) => db.items.add(record),
    queryOwner: (db, owner) =>
      db.items.where('[owner+changedAt]').between([owner, Dexie.minKey], [owner, Dexie.maxKey]).reverse().limit(100).toArray(),
    prepareUpdates: (_db, ids) => ids,
    update: (db, id, priority) => db.items.update(id, { priority }),
    watch(db, priority, onItems) {
      const sub = liveQuery(() => db.items.where('priority').equals(priority).toArray()).subscribe({
        next: onItems,
        error: (e) => {
          throw e;
        },
      });
      return () => sub.unsubscribe();
    },
    async finalState(db) {
      const all = await db.items.toArray();
      return { count: all.length, prioritySum: all.reduce((sum, r) => sum + r.priority, 0) };
    },
    close: async (db) => db.close(),
  };
}
