import { versionOf } from '../versions.mjs';

import { schema } from './rxdb-schema.mjs';

export { schema };

/** RxDB with its in-memory storage, dev-mode off (no schema validation plugin), no replication. */
export function rxdb() {
  let rx;
  let memory;
  return {
    label: 'RxDB (memory storage)',
    storage: 'memory',
    notes: [
      'writes no outbox',
      'answers a repeated identical query from its RxQuery cache while the collection is unchanged (W3 repeats each of 50 queries 20x)',
      'shares one RxQuery between identical live queries (5 per priority value in W4)',
    ],
    async available() {
      rx = await import('rxdb');
      memory = await import('rxdb/plugins/storage-memory');
      return { ok: true, version: `rxdb ${versionOf('rxdb')}` };
    },
    async open(run) {
      const db = await rx.createRxDatabase({ name: `bench${run}`, storage: memory.getRxStorageMemory(), multiInstance: false, eventReduce: true });
      await db.addCollections({ items: { schema } });
      return db;
    },
    async bulkLoad(db, records) {
      const { error } = await db.items.bulkInsert(records);
      if (error.length > 0) throw new Error(`bulkInsert: ${error.length} errors, first ${JSON.stringify(error[0])}`);
    },
    save: (db, record) => db.items.insert(record),
    queryOwner: (db, owner) => db.items.find({ selector: { owner }, sort: [{ changedAt: 'desc' }], limit: 100 }).exec(),
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
    close: (db) => db.remove(),
  };
}
