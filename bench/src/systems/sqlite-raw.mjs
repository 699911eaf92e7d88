import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { versionOf } from '../versions.mjs';

const COLUMNS = ['id', 'title', 'done', 'priority', 'owner', 'changedAt', 'body'];
const row = (r) => [r.id, r.title, r.done ? 1 : 0, r.priority, r.owner, r.changedAt, r.body];

/**
 * Raw better-sqlite3, the floor: a table with one column per field and an (owner, changedAt) index, the
 * same pragmas as Offgrid's driver (WAL, synchronous=NORMAL). With `outbox`, every write also inserts a
 * JSON outbox row in the same transaction, as Offgrid does. No live queries.
 */
export function sqliteRaw({ outbox }) {
  let Database;
  return {
    label: outbox ? 'raw better-sqlite3: insert + outbox row' : 'raw better-sqlite3: insert only',
    storage: 'sqlite',
    noLiveQueries: 'no live queries (floor)',
    async available() {
      ({ default: Database } = await import('better-sqlite3'));
      return { ok: true, version: `better-sqlite3 ${versionOf('better-sqlite3')}` };
    },
    async open() {
      const file = join(tmpdir(), `raw-bench-${randomUUID()}.sqlite`);
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(`
        CREATE TABLE items (id TEXT PRIMARY KEY, title TEXT NOT NULL, done INTEGER NOT NULL, priority INTEGER,
          owner TEXT, changedAt TEXT, body TEXT);
        CREATE INDEX items_owner_changed ON items (owner, changedAt);
        CREATE INDEX items_priority ON items (priority);
        CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, model TEXT NOT NULL, key TEXT NOT NULL,
          operation TEXT NOT NULL, data TEXT NOT NULL);`);
      const insert = db.prepare(`INSERT INTO items (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
      const update = db.prepare('UPDATE items SET priority = ? WHERE id = ?');
      const enqueue = db.prepare('INSERT INTO outbox (model, key, operation, data) VALUES (?, ?, ?, ?)');
      const select = db.prepare(`SELECT ${COLUMNS.join(', ')} FROM items WHERE owner = ? ORDER BY changedAt DESC LIMIT 100`);
      const insertOne = (r) => {
        insert.run(...row(r));
        if (outbox) enqueue.run('Item', r.id, 'create', JSON.stringify(r));
      };
      return {
        db,
        file,
        select,
        insertMany: db.transaction((records) => records.forEach(insertOne)),
        insertOne: db.transaction(insertOne),
        updateOne: db.transaction((id, priority) => {
          update.run(priority, id);
          if (outbox) enqueue.run('Item', id, 'update', JSON.stringify({ id, priority }));
        }),
      };
    },
    bulkLoad: async (h, records) => h.insertMany(records),
    save: async (h, record) => h.insertOne(record),
    queryOwner: async (h, owner) => h.select.all(owner),
    prepareUpdates: async (_h, ids) => ids,
    update: async (h, id, priority) => h.updateOne(id, priority),
    async finalState(h) {
      const { count, prioritySum } = h.db.prepare('SELECT count(*) AS count, sum(priority) AS prioritySum FROM items').get();
      const { outbox: pending } = h.db.prepare('SELECT count(*) AS outbox FROM outbox').get();
      return { count, prioritySum, outbox: pending };
    },
    async close(h) {
      h.db.close();
      for (const s of ['', '-wal', '-shm']) rmSync(h.file + s, { force: true });
    },
  };
}
