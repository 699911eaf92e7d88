import { describe, expect, it } from 'vitest';
import { type AdapterFactory, type StorageConformanceOptions, outboxEntry, seed, useAdapter } from './conformance-context';
import { conformanceSchema, conformanceSchemaV2 } from './fixture-schema';
import { describeQueryConformance } from './query-conformance';
import { describeQueryProperties } from './query-properties';

export type { AdapterFactory, StorageConformanceOptions } from './conformance-context';

const todo = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `title ${id}`, done: false, ...extra });

class Boom extends Error {}

/**
 * Registers the storage adapter conformance suite (vitest `describe`/`it`): lifecycle and additive schema
 * changes, record CRUD, transaction atomicity and read-your-writes, the outbox, metadata, reset, every
 * predicate operator, sort/limit/offset, composite keys, persistence across a reopen, and property tests
 * comparing random queries with the in-memory oracle (`evaluatePredicate` + `recordComparator`).
 *
 * @example
 * // sqlite-adapter.test.ts
 * import { describeStorageConformance } from '@offgrid/core/testing'
 * describeStorageConformance('sqlite', () => new SqliteAdapter({ filename: ':memory:' }))
 */
export function describeStorageConformance(
  name: string,
  createAdapter: AdapterFactory,
  options: StorageConformanceOptions = {},
): void {
  describe(`storage conformance: ${name}`, () => {
    describeLifecycle(createAdapter, options);
    describeRecords(createAdapter, options);
    describeTransactions(createAdapter, options);
    describeOutboxAndMeta(createAdapter, options);
    describeQueryConformance(createAdapter, options);
    describeQueryProperties(createAdapter, options);
    if (options.reopen) describePersistence(createAdapter, options);
  });
}

function describeLifecycle(create: AdapterFactory, options: StorageConformanceOptions) {
  describe('open and prepare', () => {
    const h = useAdapter(create, options, { prepare: false });

    it('open on a new store returns undefined, then the schema it was prepared with', async () => {
      expect(await h.adapter.open()).toBeUndefined();
      await h.adapter.prepare(conformanceSchema);
      expect(await h.adapter.open()).toEqual(conformanceSchema);
    });

    it('has a short name', () => {
      expect(typeof h.adapter.name).toBe('string');
      expect(h.adapter.name.length).toBeGreaterThan(0);
    });

    it.runIf(options.reopen)('reopen returns the prepared schema', async () => {
      await h.adapter.prepare(conformanceSchema);
      expect(await h.reopen()).toEqual(conformanceSchema);
    });

    it('prepare with an additive schema keeps records, outbox and metadata', async () => {
      const a = h.adapter;
      await a.prepare(conformanceSchema);
      await seed(a, 'Todo', [todo('t1', { owner: 'ada', priority: 2 }), todo('t2')]);
      await a.write(async (tx) => {
        await tx.putOutbox(outboxEntry('m1', 'Todo', 't1'));
        await tx.setMeta('cursor', { Todo: 42 });
      });

      await a.prepare(conformanceSchemaV2);
      expect(await a.open()).toEqual(conformanceSchemaV2);
      await a.read(async (tx) => {
        expect(await tx.count('Todo')).toBe(2);
        expect(await tx.get('Todo', 't1')).toEqual(todo('t1', { owner: 'ada', priority: 2 }));
        expect((await tx.outbox()).map((e) => e.id)).toEqual(['m1']);
        expect(await tx.getMeta('cursor')).toEqual({ Todo: 42 });
      });

      // The new model, field and index are usable.
      await seed(a, 'Tag', [{ id: 'g1', label: 'home' }]);
      await seed(a, 'Todo', [todo('t3', { priority: 2, note: 'new field' })]);
      await a.read(async (tx) => {
        expect(await tx.get('Tag', 'g1')).toEqual({ id: 'g1', label: 'home' });
        const byPriority = await tx.query('Todo', {
          predicate: { type: 'field', field: 'priority', op: 'eq', value: 2 },
          sort: [{ field: 'priority', direction: 'asc' }],
        });
        expect(byPriority.map((r) => r.id)).toEqual(['t1', 't3']);
        expect(byPriority[1]).toEqual(todo('t3', { priority: 2, note: 'new field' }));
      });
    });

    it.runIf(options.reopen)('an additive prepare survives a reopen', async () => {
      await h.adapter.prepare(conformanceSchema);
      await seed(h.adapter, 'Todo', [todo('t1')]);
      await h.adapter.prepare(conformanceSchemaV2);
      expect(await h.reopen()).toEqual(conformanceSchemaV2);
      await h.adapter.prepare(conformanceSchemaV2);
      expect(await h.adapter.read((tx) => tx.get('Todo', 't1'))).toEqual(todo('t1'));
    });
  });
}

function describeRecords(create: AdapterFactory, options: StorageConformanceOptions) {
  describe('records', () => {
    const h = useAdapter(create, options);

    it('get returns undefined for a missing record and count is 0 on an empty model', async () => {
      await h.adapter.read(async (tx) => {
        expect(await tx.get('Todo', 'nope')).toBeUndefined();
        expect(await tx.count('Todo')).toBe(0);
        expect(await tx.query('Todo', {})).toEqual([]);
      });
    });

    it('put then get round-trips every field type, including nulls, lists and metadata', async () => {
      const record = {
        ...todo('t1', { done: true, priority: -3, owner: 'ada', updatedAt: '2024-05-01T10:00:00.000Z' }),
        body: 'ünïcødé ✓',
        tags: ['a', 'b'],
        _version: 3,
        _lastChangedAt: 1_700_000_000_123,
        _deleted: false,
      };
      const withNulls = todo('t2', { priority: null, owner: null, tags: null, body: null });
      await seed(h.adapter, 'Todo', [record, withNulls]);
      await h.adapter.read(async (tx) => {
        expect(await tx.get('Todo', 't1')).toEqual(record);
        expect(await tx.get('Todo', 't2')).toEqual(withNulls);
      });
    });

    it('put replaces a record with the same key', async () => {
      await seed(h.adapter, 'Todo', [todo('t1', { title: 'old', owner: 'ada' })]);
      await seed(h.adapter, 'Todo', [todo('t1', { title: 'new' })]);
      await h.adapter.read(async (tx) => {
        expect(await tx.get('Todo', 't1')).toEqual(todo('t1', { title: 'new' }));
        expect(await tx.count('Todo')).toBe(1);
        // The old indexed value must not find it any more.
        const old = await tx.query('Todo', { predicate: { type: 'field', field: 'owner', op: 'eq', value: 'ada' } });
        expect(old).toEqual([]);
      });
    });

    it('getMany returns records in key order, undefined where absent, and sees its own transaction', async () => {
      await seed(h.adapter, 'Todo', [todo('t1'), todo('t3')]);
      expect(await h.adapter.read((tx) => tx.getMany('Todo', ['t3', 'nope', 't1']))).toEqual([todo('t3'), undefined, todo('t1')]);
      expect(await h.adapter.read((tx) => tx.getMany('Todo', []))).toEqual([]);
      // Keys outside and inside the stored range, none of them stored.
      expect(await h.adapter.read((tx) => tx.getMany('Todo', ['t0', 't2', 't9']))).toEqual([undefined, undefined, undefined]);
      await h.adapter.write(async (tx) => {
        await tx.put('Todo', 't2', todo('t2'));
        await tx.delete('Todo', 't3');
        expect(await tx.getMany('Todo', ['t1', 't2', 't3'])).toEqual([todo('t1'), todo('t2'), undefined]);
      });
    });

    it('putMany inserts and replaces several records, indexed like put', async () => {
      await seed(h.adapter, 'Todo', [todo('t1', { owner: 'ada' })]);
      await h.adapter.write((tx) =>
        tx.putMany('Todo', [
          ['t1', todo('t1', { owner: 'bob' })],
          ['t2', todo('t2', { owner: 'ada', priority: null })],
        ]),
      );
      await h.adapter.read(async (tx) => {
        expect(await tx.getMany('Todo', ['t1', 't2'])).toEqual([todo('t1', { owner: 'bob' }), todo('t2', { owner: 'ada', priority: null })]);
        const ada = await tx.query('Todo', { predicate: { type: 'field', field: 'owner', op: 'eq', value: 'ada' } });
        expect(ada.map((r) => r.id)).toEqual(['t2']);
      });
    });

    it('putMany in a write that throws keeps nothing', async () => {
      await expect(
        h.adapter.write(async (tx) => {
          await tx.putMany('Todo', [['t1', todo('t1')], ['t2', todo('t2')]]);
          await tx.putOutboxMany([outboxEntry('m1', 'Todo', 't1')]);
          throw new Boom('stop');
        }),
      ).rejects.toBeInstanceOf(Boom);
      await h.adapter.read(async (tx) => {
        expect(await tx.count('Todo')).toBe(0);
        expect(await tx.outbox()).toEqual([]);
      });
    });

    it('delete removes one record; deleting a missing key is a no-op', async () => {
      await seed(h.adapter, 'Todo', [todo('t1'), todo('t2')]);
      await h.adapter.write(async (tx) => {
        await tx.delete('Todo', 't1');
        await tx.delete('Todo', 'missing');
      });
      await h.adapter.read(async (tx) => {
        expect(await tx.get('Todo', 't1')).toBeUndefined();
        expect(await tx.get('Todo', 't2')).toEqual(todo('t2'));
        expect(await tx.count('Todo')).toBe(1);
      });
    });

    it('deleteAll empties one model only', async () => {
      await seed(h.adapter, 'Todo', [todo('t1'), todo('t2')]);
      await seed(h.adapter, 'Reading', [{ sensorId: 's1', takenAt: '2024-01-01T00:00:00.000Z', value: 1 }]);
      await h.adapter.write((tx) => tx.deleteAll('Todo'));
      await h.adapter.read(async (tx) => {
        expect(await tx.count('Todo')).toBe(0);
        expect(await tx.query('Todo', {})).toEqual([]);
        expect(await tx.count('Reading')).toBe(1);
      });
    });

    it('models are separate namespaces for keys', async () => {
      await seed(h.adapter, 'Todo', [todo('same')]);
      await h.adapter.write((tx) => tx.put('Reading', 'same', { sensorId: 'x', takenAt: 'y', value: 1 }));
      await h.adapter.read(async (tx) => {
        expect(await tx.get('Todo', 'same')).toEqual(todo('same'));
        expect(await tx.get('Reading', 'same')).toEqual({ sensorId: 'x', takenAt: 'y', value: 1 });
      });
    });

    it('read and write return what their function returns', async () => {
      expect(await h.adapter.write(async () => 'w')).toBe('w');
      expect(await h.adapter.read(async () => 7)).toBe(7);
    });

    it('reset drops every record, the outbox and the metadata, and the store stays usable', async () => {
      await seed(h.adapter, 'Todo', [todo('t1'), todo('t2')]);
      await seed(h.adapter, 'Reading', [{ sensorId: 's1', takenAt: '2024-01-01T00:00:00.000Z', value: 1 }]);
      await h.adapter.write(async (tx) => {
        await tx.putOutbox(outboxEntry('m1', 'Todo', 't1'));
        await tx.setMeta('cursor', 5);
      });
      await h.adapter.reset();
      await h.adapter.read(async (tx) => {
        expect(await tx.count('Todo')).toBe(0);
        expect(await tx.count('Reading')).toBe(0);
        expect(await tx.get('Todo', 't1')).toBeUndefined();
        expect(await tx.outbox()).toEqual([]);
        expect(await tx.outboxFor('Todo', 't1')).toEqual([]);
        expect(await tx.getMeta('cursor')).toBeUndefined();
      });
      await h.adapter.prepare(conformanceSchema);
      await seed(h.adapter, 'Todo', [todo('t3')]);
      expect(await h.adapter.read((tx) => tx.count('Todo'))).toBe(1);
    });
  });
}

function describeTransactions(create: AdapterFactory, options: StorageConformanceOptions) {
  describe('transactions', () => {
    const h = useAdapter(create, options);

    it('a write whose function throws keeps nothing (records, deletes, outbox, metadata) and rethrows the error', async () => {
      const a = h.adapter;
      await seed(a, 'Todo', [todo('keep'), todo('gone?')]);
      await a.write(async (tx) => {
        await tx.putOutbox(outboxEntry('m0', 'Todo', 'keep'));
        await tx.setMeta('cursor', 1);
      });
      const error = new Boom('boom');
      const failed = a.write(async (tx) => {
        await tx.put('Todo', 'new', todo('new'));
        await tx.put('Todo', 'keep', todo('keep', { title: 'changed' }));
        await tx.delete('Todo', 'gone?');
        await tx.deleteAll('Reading');
        const seq = await tx.putOutbox(outboxEntry('m1', 'Todo', 'new'));
        await tx.putOutbox({ ...outboxEntry('m0', 'Todo', 'keep', { attempts: 9 }), seq: seq - 1 });
        await tx.setMeta('cursor', 2);
        await tx.setMeta('other', 'x');
        throw error;
      });
      await expect(failed).rejects.toBe(error);
      await a.read(async (tx) => {
        expect(await tx.get('Todo', 'new')).toBeUndefined();
        expect(await tx.get('Todo', 'keep')).toEqual(todo('keep'));
        expect(await tx.get('Todo', 'gone?')).toEqual(todo('gone?'));
        expect(await tx.count('Todo')).toBe(2);
        const outbox = await tx.outbox();
        expect(outbox.map((e) => [e.id, e.attempts])).toEqual([['m0', 0]]);
        expect(await tx.getMeta('cursor')).toBe(1);
        expect(await tx.getMeta('other')).toBeUndefined();
      });
      // The store still works after a failed transaction.
      await seed(a, 'Todo', [todo('after')]);
      expect(await a.read((tx) => tx.count('Todo'))).toBe(3);
    });

    it('a write that throws before writing anything rethrows too', async () => {
      await expect(h.adapter.write(async () => Promise.reject(new Boom('early')))).rejects.toBeInstanceOf(Boom);
    });

    it('reads inside a write see its own writes', async () => {
      await seed(h.adapter, 'Todo', [todo('t1', { owner: 'ada' }), todo('t2', { owner: 'ada' })]);
      await h.adapter.write(async (tx) => {
        await tx.put('Todo', 't3', todo('t3', { owner: 'ada' }));
        await tx.put('Todo', 't1', todo('t1', { owner: 'bob' }));
        await tx.delete('Todo', 't2');
        expect(await tx.get('Todo', 't3')).toEqual(todo('t3', { owner: 'ada' }));
        expect(await tx.get('Todo', 't2')).toBeUndefined();
        expect(await tx.count('Todo')).toBe(2);
        const ada = await tx.query('Todo', { predicate: { type: 'field', field: 'owner', op: 'eq', value: 'ada' } });
        expect(ada.map((r) => r.id)).toEqual(['t3']);
        const seq = await tx.putOutbox(outboxEntry('m1', 'Todo', 't3'));
        expect((await tx.outbox()).map((e) => e.seq)).toEqual([seq]);
        expect((await tx.outboxFor('Todo', 't3')).map((e) => e.id)).toEqual(['m1']);
        await tx.setMeta('cursor', 'c1');
        expect(await tx.getMeta('cursor')).toBe('c1');
        await tx.deleteAll('Todo');
        expect(await tx.count('Todo')).toBe(0);
        expect(await tx.query('Todo', {})).toEqual([]);
        await tx.put('Todo', 't9', todo('t9'));
        expect((await tx.query('Todo', {})).map((r) => r.id)).toEqual(['t9']);
      });
      expect(await h.adapter.read((tx) => tx.query('Todo', {}))).toEqual([todo('t9')]);
    });

    it('concurrent writes are serialised and each commits whole', async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          h.adapter.write(async (tx) => {
            const n = ((await tx.getMeta<number>('n')) ?? 0) + 1;
            await tx.setMeta('n', n);
            await tx.put('Todo', `t${i}`, todo(`t${i}`));
            await tx.putOutbox(outboxEntry(`m${i}`, 'Todo', `t${i}`));
          }),
        ),
      );
      await h.adapter.read(async (tx) => {
        expect(await tx.getMeta('n')).toBe(8);
        expect(await tx.count('Todo')).toBe(8);
        const seqs = (await tx.outbox()).map((e) => e.seq);
        expect(new Set(seqs).size).toBe(8);
      });
    });
  });
}

function describeOutboxAndMeta(create: AdapterFactory, options: StorageConformanceOptions) {
  describe('outbox and metadata', () => {
    const h = useAdapter(create, options);

    it('putOutbox assigns increasing seqs, within and across transactions, never reusing a deleted one', async () => {
      const first = await h.adapter.write(async (tx) => [
        await tx.putOutbox(outboxEntry('m1', 'Todo', 't1')),
        await tx.putOutbox(outboxEntry('m2', 'Todo', 't2')),
      ]);
      const [s1 = 0, s2 = 0] = first;
      expect(s2).toBeGreaterThan(s1);
      await h.adapter.write((tx) => tx.deleteOutbox(s2));
      const s3 = await h.adapter.write((tx) => tx.putOutbox(outboxEntry('m3', 'Todo', 't1')));
      expect(s3).toBeGreaterThan(s2);
      const outbox = await h.adapter.read((tx) => tx.outbox());
      expect(outbox.map((e) => [e.seq, e.id])).toEqual([
        [s1, 'm1'],
        [s3, 'm3'],
      ]);
    });

    it('putOutboxMany appends in order with increasing seqs that outboxFor finds in the same transaction', async () => {
      const before = await h.adapter.write((tx) => tx.putOutbox(outboxEntry('m0', 'Todo', 't0')));
      const seqs = await h.adapter.write(async (tx) => {
        const s = await tx.putOutboxMany([outboxEntry('m1', 'Todo', 't1'), outboxEntry('m2', 'Todo', 't2'), outboxEntry('m3', 'Todo', 't1')]);
        expect((await tx.outboxFor('Todo', 't1')).map((e) => e.id)).toEqual(['m1', 'm3']);
        return s;
      });
      expect(seqs).toHaveLength(3);
      expect(seqs[0]).toBeGreaterThan(before);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(3);
      const outbox = await h.adapter.read((tx) => tx.outbox());
      expect(outbox.map((e) => [e.seq, e.id])).toEqual([[before, 'm0'], [seqs[0], 'm1'], [seqs[1], 'm2'], [seqs[2], 'm3']]);
      expect(outbox[1]).toEqual({ ...outboxEntry('m1', 'Todo', 't1'), seq: seqs[0] });
      expect(await h.adapter.write((tx) => tx.putOutboxMany([]))).toEqual([]);
    });

    it('a bulk putOutboxMany behaves entry by entry: replace, delete, outboxFor and order afterwards', async () => {
      // Enough entries for an adapter that stores bulk entries together (IndexedDB groups them) to make several groups.
      const n = 300;
      const ids = Array.from({ length: n }, (_, i) => `b${i}`);
      const before = await h.adapter.write((tx) => tx.putOutbox(outboxEntry('m0', 'Todo', 'x0')));
      const seqs = await h.adapter.write((tx) => tx.putOutboxMany(ids.map((id, i) => outboxEntry(id, 'Todo', `k${i % 150}`))));
      expect(seqs).toHaveLength(n);
      expect(seqs[0]).toBeGreaterThan(before);
      expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
      const after = await h.adapter.write((tx) => tx.putOutbox(outboxEntry('m9', 'Todo', 'x9')));
      expect(after).toBeGreaterThan(seqs[n - 1]!);

      const s = (i: number) => seqs[i]!;
      await h.adapter.write(async (tx) => {
        expect((await tx.outboxFor('Todo', 'k7')).map((e) => [e.seq, e.id])).toEqual([[s(7), 'b7'], [s(157), 'b157']]);
        await tx.putOutbox({ ...outboxEntry('b7', 'Todo', 'k7'), seq: s(7), status: 'inflight', attempts: 1 });
        await tx.deleteOutbox(s(157));
        // Unknown to this transaction until now: found by seq alone.
        await tx.deleteOutbox(s(200));
        await tx.putOutbox({ ...outboxEntry('b250', 'Todo', 'k100'), seq: s(250), record: { id: 'k100', title: 'new' } });
        expect((await tx.outboxFor('Todo', 'k7')).map((e) => [e.seq, e.status])).toEqual([[s(7), 'inflight']]);
      });
      // Changed, then deleted (an entry sent, then acknowledged).
      await h.adapter.write(async (tx) => tx.putOutbox({ ...outboxEntry('b8', 'Todo', 'k8'), seq: s(8), status: 'inflight' }));
      await h.adapter.write(async (tx) => tx.deleteOutbox(s(8)));
      // Every entry of one whole group taken out, one transaction each.
      for (let i = 0; i < 40; i++) await h.adapter.write((tx) => tx.deleteOutbox(s(260 + i)));

      const gone = new Set([8, 157, 200, ...Array.from({ length: 40 }, (_, i) => 260 + i)]);
      const expected = [
        { ...outboxEntry('m0', 'Todo', 'x0'), seq: before },
        ...ids
          .map((id, i) => ({ ...outboxEntry(id, 'Todo', `k${i % 150}`), seq: s(i) }))
          .filter((_, i) => !gone.has(i))
          .map((e) => (e.id === 'b7' ? { ...e, status: 'inflight' as const, attempts: 1 } : e))
          .map((e) => (e.id === 'b250' ? { ...e, record: { id: 'k100', title: 'new' } } : e)),
        { ...outboxEntry('m9', 'Todo', 'x9'), seq: after },
      ];
      expect(await h.adapter.read((tx) => tx.outbox())).toEqual(expected);
      await h.adapter.read(async (tx) => {
        expect((await tx.outboxFor('Todo', 'k100')).map((e) => e.id)).toEqual(['b100', 'b250']);
        expect((await tx.outboxFor('Todo', 'k50')).map((e) => e.id)).toEqual(['b50']);
        expect((await tx.outboxFor('Todo', 'k149')).map((e) => e.id)).toEqual(['b149']); // b299 was deleted
        expect(await tx.outboxFor('Todo', 'k8')).toEqual([{ ...outboxEntry('b158', 'Todo', 'k8'), seq: s(158) }]);
      });
      if (options.reopen) {
        await h.reopen();
        expect(await h.adapter.read((tx) => tx.outbox())).toEqual(expected);
      }
      const next = await h.adapter.write((tx) => tx.putOutbox(outboxEntry('m10', 'Todo', 'x10')));
      expect(next).toBeGreaterThan(after);
    });

    it('entries round-trip with every field, and putOutbox with a seq replaces that entry', async () => {
      const entry = outboxEntry('m1', 'Todo', 't1', {
        operation: 'create',
        baseVersion: 4,
        condition: { type: 'field', field: 'done', op: 'eq', value: false },
        record: { id: 't1', title: 'x', tags: ['a'], priority: null },
        changedFields: [],
      });
      const seq = await h.adapter.write((tx) => tx.putOutbox(entry));
      expect(await h.adapter.read((tx) => tx.outbox())).toEqual([{ ...entry, seq }]);
      const replaced = { ...entry, seq, status: 'inflight' as const, attempts: 2 };
      expect(await h.adapter.write((tx) => tx.putOutbox(replaced))).toBe(seq);
      expect(await h.adapter.read((tx) => tx.outbox())).toEqual([replaced]);
    });

    it('outbox() is ordered by seq; outboxFor(model, key) is filtered and ordered', async () => {
      await h.adapter.write(async (tx) => {
        await tx.putOutbox(outboxEntry('m1', 'Todo', 't2'));
        await tx.putOutbox(outboxEntry('m2', 'Todo', 't1'));
        await tx.putOutbox(outboxEntry('m3', 'Reading', 't1'));
        await tx.putOutbox(outboxEntry('m4', 'Todo', 't1', { operation: 'delete' }));
        await tx.putOutbox(outboxEntry('m5', 'Todo', 't10'));
      });
      await h.adapter.read(async (tx) => {
        const all = await tx.outbox();
        expect(all.map((e) => e.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
        expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
        expect((await tx.outboxFor('Todo', 't1')).map((e) => e.id)).toEqual(['m2', 'm4']);
        expect((await tx.outboxFor('Reading', 't1')).map((e) => e.id)).toEqual(['m3']);
        expect(await tx.outboxFor('Todo', 'nope')).toEqual([]);
      });
    });

    it('deleteOutbox removes one entry; deleting a missing seq is a no-op', async () => {
      const [a = 0, b = 0] = await h.adapter.write(async (tx) => [
        await tx.putOutbox(outboxEntry('m1', 'Todo', 't1')),
        await tx.putOutbox(outboxEntry('m2', 'Todo', 't1')),
      ]);
      await h.adapter.write(async (tx) => {
        await tx.deleteOutbox(a);
        await tx.deleteOutbox(b + 1000);
      });
      expect((await h.adapter.read((tx) => tx.outboxFor('Todo', 't1'))).map((e) => e.seq)).toEqual([b]);
    });

    it('meta: missing is undefined, set overwrites, structured values round-trip', async () => {
      expect(await h.adapter.read((tx) => tx.getMeta('x'))).toBeUndefined();
      const value = { cursors: { Todo: 12, Reading: null }, list: [1, 'two', { three: true }] };
      await h.adapter.write(async (tx) => {
        await tx.setMeta('x', 1);
        await tx.setMeta('x', value);
        await tx.setMeta('y', 'plain');
      });
      await h.adapter.read(async (tx) => {
        expect(await tx.getMeta('x')).toEqual(value);
        expect(await tx.getMeta('y')).toBe('plain');
      });
    });
  });
}

function describePersistence(create: AdapterFactory, options: StorageConformanceOptions) {
  describe('persistence across reopen', () => {
    const h = useAdapter(create, options);

    it('records, outbox, metadata and the seq counter survive a reopen', async () => {
      await seed(h.adapter, 'Todo', [todo('t1', { owner: 'ada', updatedAt: '2024-01-01' }), todo('t2')]);
      await seed(h.adapter, 'Reading', [{ sensorId: 's1', takenAt: '2024-01-01T00:00:00.000Z', value: 1.5 }]);
      const seq = await h.adapter.write(async (tx) => {
        await tx.setMeta('cursor', { Todo: 3 });
        return tx.putOutbox(outboxEntry('m1', 'Todo', 't1'));
      });
      expect(await h.reopen()).toEqual(conformanceSchema);
      await h.adapter.prepare(conformanceSchema);
      await h.adapter.read(async (tx) => {
        expect(await tx.get('Todo', 't1')).toEqual(todo('t1', { owner: 'ada', updatedAt: '2024-01-01' }));
        expect(await tx.count('Todo')).toBe(2);
        expect(await tx.count('Reading')).toBe(1);
        const ada = await tx.query('Todo', { predicate: { type: 'field', field: 'owner', op: 'eq', value: 'ada' } });
        expect(ada.map((r) => r.id)).toEqual(['t1']);
        expect((await tx.outbox()).map((e) => [e.seq, e.id])).toEqual([[seq, 'm1']]);
        expect(await tx.getMeta('cursor')).toEqual({ Todo: 3 });
      });
      const next = await h.adapter.write((tx) => tx.putOutbox(outboxEntry('m2', 'Todo', 't2')));
      expect(next).toBeGreaterThan(seq);
    });

    it('a failed write leaves nothing behind after a reopen', async () => {
      await expect(
        h.adapter.write(async (tx) => {
          await tx.put('Todo', 't1', todo('t1'));
          await tx.putOutbox(outboxEntry('m1', 'Todo', 't1'));
          throw new Boom('crash');
        }),
      ).rejects.toBeInstanceOf(Boom);
      await h.reopen();
      await h.adapter.read(async (tx) => {
        expect(await tx.count('Todo')).toBe(0);
        expect(await tx.outbox()).toEqual([]);
      });
    });
  });
}
