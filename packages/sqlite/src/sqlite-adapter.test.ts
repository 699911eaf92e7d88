import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewOutboxEntry, StorageError, StoreStateError, UnknownModelError } from '@offgrid/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { betterSqlite3Driver } from './better-sqlite3-driver';
import { createSqliteAdapter } from './create-sqlite-adapter';
import { SqliteAdapter } from './sqlite-adapter';
import { model, scalar, schemaOf, testSchema, todoModel, weirdNames } from './test-schema.fixture';

let dir: string;
const open: SqliteAdapter[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'offgrid-sqlite-'));
});
afterEach(async () => {
  for (const a of open.splice(0)) await a.close();
  rmSync(dir, { recursive: true, force: true });
});

function fileAdapter(name = 'store.db'): SqliteAdapter {
  const adapter = createSqliteAdapter(join(dir, name));
  open.push(adapter);
  return adapter;
}

function memoryAdapter(): SqliteAdapter {
  const adapter = new SqliteAdapter({ driver: betterSqlite3Driver(new Database(':memory:')) });
  open.push(adapter);
  return adapter;
}

const entry = (id: string, key: string): NewOutboxEntry => ({
  id,
  model: 'Todo',
  key,
  operation: 'create',
  record: { id: key, title: 'x', done: false },
  changedFields: [],
  status: 'pending',
  attempts: 0,
  createdAt: 1,
});

const fullTodo = {
  id: 't1',
  title: 'Milk "and" eggs; DROP TABLE Todo; --',
  done: true,
  priority: -3,
  score: 2.5,
  owner: 'ada',
  updatedAt: '2024-05-01T10:00:00.000Z',
  dueOn: '2024-05-02',
  at: '10:00:00.000',
  stamp: 1_714_557_600,
  email: 'ada@example.com',
  url: 'https://example.com/?q=1',
  phone: '+1 555 0100',
  ip: '127.0.0.1',
  payload: '{"a":[1,{"b":null}]}',
  status: 'OPEN',
  location: { lat: 51.5, lng: -0.12 },
  tags: ['a', 'b', ''],
  counts: [1, 2, 3],
  statuses: ['OPEN', 'DONE'],
  stops: [{ lat: 1, lng: 2 }],
  projectId: 'p1',
  _version: 3,
  _lastChangedAt: 1_714_557_600_000,
  _deleted: false,
};

describe.each([
  ['file', () => fileAdapter()],
  ['memory', () => memoryAdapter()],
])('SqliteAdapter (%s)', (_kind, make) => {
  it('round-trips every field type exactly', async () => {
    const a = make();
    await a.prepare(testSchema);
    const sparse = { id: 't2', title: null, done: false, tags: [], location: null };
    await a.write(async (tx) => {
      await tx.put('Todo', 't1', fullTodo);
      await tx.put('Todo', 't2', sparse);
    });
    await a.read(async (tx) => {
      expect(await tx.get('Todo', 't1')).toStrictEqual(fullTodo);
      // Null stays null, missing stays missing.
      expect(await tx.get('Todo', 't2')).toStrictEqual(sparse);
      expect(await tx.get('Todo', 'nope')).toBeUndefined();
    });
  });

  it('keeps fields the schema does not know instead of dropping them', async () => {
    const a = make();
    await a.prepare(testSchema);
    const record = { id: 'x', title: 'a', extra: { deep: [1, 'two'] }, flag: false };
    await a.write((tx) => tx.put('Todo', 'x', record));
    expect(await a.read((tx) => tx.get('Todo', 'x'))).toStrictEqual(record);
  });

  it('refuses a value of the wrong type with a clear error and writes nothing', async () => {
    const a = make();
    await a.prepare(testSchema);
    const attempt = a.write(async (tx) => {
      await tx.put('Todo', 'ok', { id: 'ok' });
      await tx.put('Todo', 'bad', { id: 'bad', done: 'yes' });
    });
    await expect(attempt).rejects.toThrow(StorageError);
    await expect(attempt).rejects.toThrow(/Todo.*field done must be a boolean/);
    expect(await a.read((tx) => tx.count('Todo'))).toBe(0);
  });

  it('round-trips composite keys and weird field names', async () => {
    const a = make();
    await a.prepare(testSchema);
    const weird = Object.fromEntries([['id', 'w1'], ...weirdNames.map((n, i) => [n, `v${i}'"); --`])]);
    const reading = { sensorId: 's1', takenAt: '2024-01-01T00:00:00Z', value: 1.5 };
    await a.write(async (tx) => {
      await tx.put('Order', 'w1', weird);
      await tx.put('Reading', JSON.stringify(['s1', reading.takenAt]), reading);
    });
    await a.read(async (tx) => {
      expect(await tx.get('Order', 'w1')).toStrictEqual(weird);
      expect(await tx.get('Reading', '["s1","2024-01-01T00:00:00Z"]')).toStrictEqual(reading);
      for (const [i, name] of weirdNames.entries()) {
        const hits = await tx.query('Order', { predicate: { type: 'field', field: name, op: 'eq', value: `v${i}'"); --` } });
        expect(hits).toHaveLength(1);
      }
    });
  });

  it('rolls back everything a failed write did, outbox included', async () => {
    const a = make();
    await a.prepare(testSchema);
    await a.write((tx) => tx.put('Todo', 'keep', { id: 'keep', title: 'before' }));
    const boom = new Error('boom');
    await expect(
      a.write(async (tx) => {
        await tx.put('Todo', 'keep', { id: 'keep', title: 'after' });
        await tx.put('Todo', 'new', { id: 'new' });
        await tx.putOutbox(entry('m1', 'new'));
        await tx.setMeta('cursor', 5);
        throw boom;
      }),
    ).rejects.toBe(boom);
    await a.read(async (tx) => {
      expect(await tx.get('Todo', 'keep')).toEqual({ id: 'keep', title: 'before' });
      expect(await tx.get('Todo', 'new')).toBeUndefined();
      expect(await tx.outbox()).toEqual([]);
      expect(await tx.getMeta('cursor')).toBeUndefined();
    });
    // The adapter is still usable after a rollback.
    await a.write((tx) => tx.put('Todo', 'next', { id: 'next' }));
    expect(await a.read((tx) => tx.count('Todo'))).toBe(2);
  });

  it('refuses a transaction object used after its transaction ended', async () => {
    const a = make();
    await a.prepare(testSchema);
    let leaked: { get(m: string, k: string): Promise<unknown> } | undefined;
    await a.write(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.get('Todo', 'x')).rejects.toThrow(StoreStateError);
  });

  it('runs writes one at a time in call order', async () => {
    const a = make();
    await a.prepare(testSchema);
    const order: string[] = [];
    const slow = a.write(async (tx) => {
      order.push('slow start');
      await new Promise((r) => setTimeout(r, 20));
      await tx.put('Todo', 'a', { id: 'a', priority: 1 });
      order.push('slow end');
    });
    const fast = a.write(async (tx) => {
      order.push('fast');
      const prev = await tx.get('Todo', 'a');
      await tx.put('Todo', 'a', { id: 'a', priority: (prev?.priority as number) + 1 });
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['slow start', 'slow end', 'fast']);
    expect(await a.read((tx) => tx.get('Todo', 'a'))).toEqual({ id: 'a', priority: 2 });
  });

  it('does not let a read see a write in progress, and sees it once committed', async () => {
    const a = make();
    await a.prepare(testSchema);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const didWrite = new Promise<void>((r) => (written = r));
    const writing = a.write(async (tx) => {
      await tx.put('Todo', 'w', { id: 'w' });
      written();
      await gate;
    });
    await didWrite;
    if (_kind === 'file') {
      // A separate snapshot: the read completes while the write is still open.
      expect(await a.read((tx) => tx.get('Todo', 'w'))).toBeUndefined();
      release();
    } else {
      // One connection: the read waits for the write to finish.
      const reading = a.read((tx) => tx.get('Todo', 'w'));
      release();
      expect(await reading).toEqual({ id: 'w' });
    }
    await writing;
    expect(await a.read((tx) => tx.get('Todo', 'w'))).toEqual({ id: 'w' });
  });

  it('stores the outbox in order with increasing seq, and metadata as JSON', async () => {
    const a = make();
    await a.prepare(testSchema);
    const seqs = await a.write(async (tx) => {
      const s1 = await tx.putOutbox(entry('m1', 'a'));
      const s2 = await tx.putOutbox({ ...entry('m2', 'b'), baseVersion: 2, condition: { type: 'and', children: [] } });
      const s3 = await tx.putOutbox(entry('m3', 'a'));
      await tx.setMeta('cursor', { Todo: 42, nested: [true, null] });
      return [s1, s2, s3];
    });
    expect(seqs).toEqual([1, 2, 3]);
    await a.write(async (tx) => {
      await tx.deleteOutbox(3);
      // Replacing by seq keeps the position.
      await tx.putOutbox({ ...entry('m1', 'a'), seq: 1, status: 'inflight', attempts: 1 });
    });
    // A deleted newest seq is never reused.
    expect(await a.write((tx) => tx.putOutbox(entry('m4', 'a')))).toBe(4);
    await a.read(async (tx) => {
      const all = await tx.outbox();
      expect(all.map((e) => [e.seq, e.id])).toEqual([
        [1, 'm1'],
        [2, 'm2'],
        [4, 'm4'],
      ]);
      expect(all[0]).toEqual({ ...entry('m1', 'a'), seq: 1, status: 'inflight', attempts: 1 });
      expect(all[1]).toEqual({ ...entry('m2', 'b'), seq: 2, baseVersion: 2, condition: { type: 'and', children: [] } });
      expect((await tx.outboxFor('Todo', 'a')).map((e) => e.id)).toEqual(['m1', 'm4']);
      expect(await tx.getMeta('cursor')).toEqual({ Todo: 42, nested: [true, null] });
      expect(await tx.getMeta('missing')).toBeUndefined();
    });
  });

  it('reset drops records, outbox and metadata, restarts seq, and stays usable', async () => {
    const a = make();
    await a.prepare(testSchema);
    await a.write(async (tx) => {
      await tx.put('Todo', 't1', { id: 't1' });
      await tx.putOutbox(entry('m1', 't1'));
      await tx.setMeta('cursor', 1);
    });
    await a.reset();
    expect(await a.open()).toBeUndefined();
    await a.read(async (tx) => {
      expect(await tx.count('Todo')).toBe(0);
      expect(await tx.query('Todo', {})).toEqual([]);
      expect(await tx.outbox()).toEqual([]);
      expect(await tx.getMeta('cursor')).toBeUndefined();
    });
    expect(await a.write((tx) => tx.putOutbox(entry('m2', 't2')))).toBe(1);
    await a.write((tx) => tx.put('Todo', 't2', { id: 't2', done: true }));
    expect(await a.read((tx) => tx.query('Todo', {}))).toEqual([{ id: 't2', done: true }]);
  });

  it('rejects unknown models with the known ones in the message', async () => {
    const a = make();
    await a.prepare(testSchema);
    await expect(a.read((tx) => tx.get('Nope', '1'))).rejects.toThrow(UnknownModelError);
    await expect(a.read((tx) => tx.get('Nope', '1'))).rejects.toThrow(/Todo, Reading, Order/);
  });

  it('refuses models and fields whose names SQLite would merge', async () => {
    const a = make();
    const clash = schemaOf([todoModel, model('todo', [scalar('id', 'ID')])]);
    await expect(a.prepare(clash)).rejects.toThrow(/clash with model Todo/);
    const fields = schemaOf([model('Note', [scalar('id', 'ID'), scalar('title', 'String'), scalar('Title', 'String')])]);
    await expect(a.prepare(fields)).rejects.toThrow(/field Title would share a column with field title/);
    const reserved = schemaOf([model('Note', [scalar('id', 'ID'), scalar('_pk', 'String')])]);
    await expect(a.prepare(reserved)).rejects.toThrow(/reserved column _pk/);
    const meta = schemaOf([model('_Meta', [scalar('id', 'ID')])]);
    await expect(a.prepare(meta)).rejects.toThrow(/reserved/);
  });

  it('additive prepare keeps records, outbox and metadata and makes new fields queryable', async () => {
    const a = make();
    const v1 = schemaOf([model('Note', [scalar('id', 'ID'), scalar('title', 'String')])], 'v1');
    await a.prepare(v1);
    await a.write(async (tx) => {
      await tx.put('Note', 'n1', { id: 'n1', title: 'keep me' });
      await tx.putOutbox({ ...entry('m1', 'n1'), model: 'Note' });
      await tx.setMeta('cursor', 7);
    });
    const v2 = schemaOf(
      [
        model('Note', [scalar('id', 'ID'), scalar('title', 'String'), scalar('rank', 'Int')], {
          indexes: [{ name: 'byRank', fields: ['rank'] }],
        }),
        model('Tag', [scalar('id', 'ID')]),
      ],
      'v2',
    );
    await a.prepare(v2);
    expect(await a.open()).toEqual(v2);
    await a.write(async (tx) => {
      await tx.put('Note', 'n2', { id: 'n2', rank: 2 });
      await tx.put('Tag', 'g', { id: 'g' });
    });
    await a.read(async (tx) => {
      expect(await tx.get('Note', 'n1')).toEqual({ id: 'n1', title: 'keep me' });
      expect((await tx.outbox()).map((e) => e.id)).toEqual(['m1']);
      expect(await tx.getMeta('cursor')).toBe(7);
      const ranked = await tx.query('Note', { predicate: { type: 'field', field: 'rank', op: 'ge', value: 1 } });
      expect(ranked.map((r) => r.id)).toEqual(['n2']);
    });
  });

  it('refuses a text/number type change on a table with rows instead of corrupting it', async () => {
    const a = make();
    await a.prepare(schemaOf([model('Note', [scalar('id', 'ID'), scalar('rank', 'Int')])]));
    await a.write((tx) => tx.put('Note', 'n', { id: 'n', rank: 1 }));
    const changed = schemaOf([model('Note', [scalar('id', 'ID'), scalar('rank', 'String')])]);
    await expect(a.prepare(changed)).rejects.toThrow(/rank changed between text and number.*reset\(\)/);
    expect(await a.read((tx) => tx.get('Note', 'n'))).toEqual({ id: 'n', rank: 1 });
    // After a reset the same change is fine and values keep their type.
    await a.reset();
    await a.prepare(changed);
    await a.write((tx) => tx.put('Note', 'n', { id: 'n', rank: '007' }));
    expect(await a.read((tx) => tx.get('Note', 'n'))).toEqual({ id: 'n', rank: '007' });
  });

  it('is closed for business after close()', async () => {
    const a = make();
    await a.prepare(testSchema);
    await a.close();
    await expect(a.read((tx) => tx.count('Todo'))).rejects.toThrow(StoreStateError);
    await expect(a.write((tx) => tx.count('Todo'))).rejects.toThrow(StoreStateError);
  });
});

describe('SqliteAdapter on a file', () => {
  it('persists records, outbox, metadata and schema across a reopen', async () => {
    const first = fileAdapter();
    expect(await first.open()).toBeUndefined();
    await first.prepare(testSchema);
    await first.write(async (tx) => {
      await tx.put('Todo', 't1', fullTodo);
      await tx.putOutbox(entry('m1', 't1'));
      await tx.setMeta('cursor', 'abc');
    });
    await first.close();

    const second = fileAdapter();
    expect(await second.open()).toEqual(testSchema);
    // Usable without prepare: the layout comes from the stored schema.
    await second.read(async (tx) => {
      expect(await tx.get('Todo', 't1')).toStrictEqual(fullTodo);
      expect((await tx.outbox()).map((e) => [e.seq, e.id])).toEqual([[1, 'm1']]);
      expect(await tx.getMeta('cursor')).toBe('abc');
    });
    expect(await second.write((tx) => tx.putOutbox(entry('m2', 't1')))).toBe(2);
  });

  it('uses WAL with synchronous=NORMAL', async () => {
    const a = fileAdapter('wal.db');
    await a.open();
    const db = new Database(join(dir, 'wal.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('lets concurrent reads share a snapshot and starts a new one after a commit', async () => {
    const a = fileAdapter();
    await a.prepare(testSchema);
    await a.write((tx) => tx.put('Todo', 'a', { id: 'a' }));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const longRead = a.read(async (tx) => {
      const before = await tx.count('Todo');
      await gate;
      return [before, await tx.count('Todo')];
    });
    // Joins the open snapshot: no write committed since it began.
    expect(await a.read((tx) => tx.count('Todo'))).toBe(1);
    const write = a.write((tx) => tx.put('Todo', 'b', { id: 'b' }));
    await write;
    // Must see the committed write, so it waits for the stale snapshot to end.
    const after = a.read((tx) => tx.count('Todo'));
    release();
    expect(await longRead).toEqual([1, 1]);
    expect(await after).toBe(2);
  });

  it('does not require better-sqlite3 types or a driver instance: accepts a factory', async () => {
    const a = new SqliteAdapter({ driver: () => betterSqlite3Driver(join(dir, 'factory.db')) });
    open.push(a);
    await a.prepare(testSchema);
    await a.write((tx) => tx.put('Todo', 'x', { id: 'x' }));
    expect(await a.read((tx) => tx.count('Todo'))).toBe(1);
  });
});
