import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractSchema, describeRecordStoreContract, gate, mutationResult, recordWrite } from './record-store.contract';
import { openSqliteDatabase, type SqliteBinding } from './sqlite-database';
import { SqliteRecordStore } from './sqlite-record-store';

const dir = mkdtempSync(join(tmpdir(), 'offgrid-sqlite-store-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The contract runs on every SQLite binding this Node has: better-sqlite3 where it is installed and built for
// this Node (CI builds it for Node 20 and 24), node:sqlite from Node 22.13 on.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const bindings = (['better-sqlite3', 'node:sqlite'] as const).filter((binding) => {
  try {
    openSqliteDatabase(':memory:', binding).close();
    return true;
  } catch {
    return false;
  }
});

describe('SQLite bindings on this Node', () => {
  it('node:sqlite exists from Node 22.13 on; the default binding is node:sqlite there, else better-sqlite3', () => {
    const expected = major > 22 || (major === 22 && minor >= 13);
    expect(bindings.includes('node:sqlite')).toBe(expected);
    const db = openSqliteDatabase(':memory:');
    expect(db.binding).toBe(expected ? 'node:sqlite' : 'better-sqlite3');
    db.close();
  });
});

for (const driver of bindings satisfies readonly SqliteBinding[]) {
  describeRecordStoreContract(`SQLite :memory: on ${driver}`, async () => new SqliteRecordStore({ filename: ':memory:', driver }));
  describeRecordStoreContract(
    `SQLite file (WAL) on ${driver}`,
    async () => new SqliteRecordStore({ filename: join(dir, `contract-${files++}.db`), driver }),
  );
}

describe('SqliteRecordStore specifics', () => {
  it('uses WAL, synchronous=NORMAL and the documented tables', async () => {
    const filename = join(dir, 'layout.db');
    const store = new SqliteRecordStore({ filename });
    await store.migrate(contractSchema);
    await store.close();
    const db = openSqliteDatabase(filename);
    try {
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map(
        (r) => r.name,
      );
      expect(tables).toEqual(['offgrid_mutation_results', 'offgrid_schema', 'offgrid_state', 'offgrid_sync_marks', 'rec_Note', 'rec_Todo']);
      const columns = (db.prepare('PRAGMA table_info("rec_Todo")').all() as Array<{ name: string }>).map((c) => c.name);
      expect(columns).toEqual(['key', 'data', 'version', 'deleted', 'last_changed_at', 'seq', 'field_versions']);
      const indexes = (db.prepare('PRAGMA index_list("rec_Todo")').all() as Array<{ name: string }>).map((i) => i.name);
      expect(indexes).toContain('rec_Todo_seq');
    } finally {
      db.close();
    }
  });

  it('opens a database of a server before per-caller mutation results: data kept, old global results never replayed', async () => {
    const filename = join(dir, 'legacy-mutations.db');
    const first = new SqliteRecordStore({ filename });
    await first.migrate(contractSchema);
    const { written } = await first.transaction((tx) => tx.insert(recordWrite('Todo', 't1', { title: 'a' })));
    await first.close();
    // What an older server left behind: results keyed by mutation id alone, and no per-caller table.
    const legacy = openSqliteDatabase(filename);
    legacy.exec('DROP TABLE offgrid_mutation_results');
    legacy.exec('CREATE TABLE offgrid_mutations (mutation_id TEXT PRIMARY KEY, result TEXT NOT NULL, created_at INTEGER NOT NULL)');
    legacy.prepare('INSERT INTO offgrid_mutations VALUES (?, ?, ?)').run('m-old', JSON.stringify({ ok: true, record: { id: 't1' } }), Date.now());
    legacy.close();

    const upgraded = new SqliteRecordStore({ filename });
    await upgraded.migrate(contractSchema);
    expect(await upgraded.get('Todo', 't1')).toEqual(written[0]);
    await upgraded.transaction(async (tx) => {
      expect(await tx.getMutation('alice', 'm-old')).toBeUndefined();
      expect(await tx.putMutation(mutationResult('m-old', 'new'))).toBe(true);
    });
    await upgraded.transaction(async (tx) => expect((await tx.getMutation('alice', 'm-old'))?.result).toBe('new'));
    await upgraded.close();
  });

  it('keeps data across reopening a file and remembers the schema', async () => {
    const filename = join(dir, 'reopen.db');
    const first = new SqliteRecordStore({ filename });
    await first.migrate(contractSchema);
    const { written } = await first.transaction((tx) => tx.insert(recordWrite('Todo', 't1', { title: 'a' })));
    await first.close();
    const second = new SqliteRecordStore({ filename });
    // No migrate: the tables are found on disk.
    expect(await second.get('Todo', 't1')).toEqual(written[0]);
    expect(await second.committedSeq()).toBe(written[0]!.seq);
    expect((await second.storedSchema())?.hash).toBe(contractSchema.hash);
    await second.close();
  });

  it('does not show a file store reader the writes of a transaction still running', async () => {
    const store = new SqliteRecordStore({ filename: join(dir, 'isolation.db') });
    await store.migrate(contractSchema);
    const wrote = gate();
    const hold = gate();
    const pending = store.transaction(async (tx) => {
      await tx.insert(recordWrite('Todo', 'pending', { title: 'x' }));
      wrote.open();
      await hold.promise;
    });
    await wrote.promise;
    expect(await store.get('Todo', 'pending')).toBeUndefined();
    expect(await store.committedSeq()).toBe(0);
    expect((await store.changes('Todo', 0, 100, 10, 10_000)).records).toEqual([]);
    hold.open();
    await pending;
    expect((await store.get('Todo', 'pending'))?.seq).toBe(1);
    await store.close();
  });

  it('makes an in-memory store wait for a running transaction instead of reading its uncommitted writes', async () => {
    const store = new SqliteRecordStore({ filename: ':memory:' });
    await store.migrate(contractSchema);
    const wrote = gate();
    const hold = gate();
    const pending = store.transaction(async (tx) => {
      await tx.insert(recordWrite('Todo', 'pending', { title: 'x' }));
      wrote.open();
      await hold.promise;
      throw new Error('rolled back');
    });
    await wrote.promise;
    const read = store.get('Todo', 'pending');
    hold.open();
    await expect(pending).rejects.toThrow('rolled back');
    expect(await read).toBeUndefined();
    await store.close();
  });

  it('rejects use after close', async () => {
    const store = new SqliteRecordStore({ filename: ':memory:' });
    await store.close();
    await expect(store.committedSeq()).rejects.toThrow(/closed/);
    await store.close();
  });
});
