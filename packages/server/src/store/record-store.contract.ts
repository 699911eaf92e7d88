/**
 * The storage contract suite: every `RecordStore` (SQLite, PostgreSQL) must pass it unchanged.
 * Used by `sqlite-record-store.test.ts` and `postgres-record-store.test.ts`.
 */
import { parseSchema } from '@offgrid/schema';
import type { NormalizedSchema } from '@offgrid/schema';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordStore, RecordWrite, ServerRecord, StoredMutationResult } from './record-store';
import { SyncMarkConflictError, TransactionClosedError, UnknownModelError } from './store-errors';

export const CONTRACT_SDL = `
type Todo @model { id: ID! title: String! done: Boolean }
type Note @model { id: ID! body: String! }
`;

/** The contract schema plus one new model: an additive change. */
export const CONTRACT_SDL_ADDITIVE = `${CONTRACT_SDL}
type Tag @model { id: ID! label: String! }
`;

/** A stored mutation result of the caller `identityKey` (default "alice"). */
export function mutationResult(mutationId: string, result: unknown, identityKey = 'alice', payloadHash = `hash-of-${mutationId}`): StoredMutationResult {
  return { identityKey, mutationId, payloadHash, result };
}

export const contractSchema: NormalizedSchema = parseSchema(CONTRACT_SDL);
export const contractSchemaAdditive: NormalizedSchema = parseSchema(CONTRACT_SDL_ADDITIVE);

/** A record write with sensible metadata defaults. */
export function recordWrite(
  model: string,
  key: string,
  data: Record<string, unknown>,
  overrides: Partial<Omit<RecordWrite, 'model' | 'key' | 'data'>> = {},
): RecordWrite {
  const version = overrides.version ?? 1;
  return {
    model,
    key,
    data: { id: key, ...data },
    version,
    deleted: overrides.deleted ?? false,
    lastChangedAt: overrides.lastChangedAt ?? Date.now(),
    fieldVersions: overrides.fieldVersions ?? Object.fromEntries(Object.keys(data).map((field) => [field, version])),
  };
}

/** A promise with its resolve handle, to hold a transaction open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Reads every change of `model` in `(afterSeq, untilSeq]` page by page. */
export async function readAllChanges(
  store: RecordStore,
  model: string,
  afterSeq: number,
  untilSeq: number,
  limit = 100,
  maxBytes = 1_000_000,
): Promise<{ records: ServerRecord[]; pages: number }> {
  const records: ServerRecord[] = [];
  let cursor = afterSeq;
  let pages = 0;
  for (;;) {
    const page = await store.changes(model, cursor, untilSeq, limit, maxBytes);
    pages++;
    records.push(...page.records);
    cursor = page.lastSeq;
    if (!page.more) return { records, pages };
    if (page.records.length === 0) throw new Error('changes() said more but returned nothing');
  }
}

async function insertOne(store: RecordStore, write: RecordWrite): Promise<ServerRecord> {
  const { result, written } = await store.transaction((tx) => tx.insert(write));
  expect(result).toBe(true);
  expect(written).toHaveLength(1);
  return written[0]!;
}

export function describeRecordStoreContract(name: string, create: () => Promise<RecordStore>): void {
  describe(`RecordStore contract: ${name}`, () => {
    let store: RecordStore;

    beforeEach(async () => {
      store = await create();
      await store.migrate(contractSchema);
    });

    afterEach(async () => {
      await store.close();
    });

    describe('insert and get', () => {
      it('inserts a record and reads it back with its metadata', async () => {
        const write = recordWrite('Todo', 't1', { title: 'Milk ü 🥛', done: false, nested: { a: [1, 2, { b: null }] } }, {
          lastChangedAt: 1_700_000_000_123,
        });
        const stored = await insertOne(store, write);
        expect(stored).toEqual({ ...write, seq: stored.seq });
        expect(stored.seq).toBeGreaterThan(0);
        expect(await store.get('Todo', 't1')).toEqual(stored);
        expect(await store.get('Todo', 'missing')).toBeUndefined();
        expect(await store.get('Note', 't1')).toBeUndefined();
      });

      it('reads several records in one getMany: existing ones (tombstones too), missing keys left out', async () => {
        const a = await insertOne(store, recordWrite('Todo', 'a', { title: 'a' }));
        const b = await insertOne(store, recordWrite('Todo', 'b', { title: 'b' }, { deleted: true }));
        const found = await store.getMany('Todo', ['b', 'missing', 'a', 'a']);
        expect(found.sort((x, y) => x.key.localeCompare(y.key))).toEqual([a, b]);
        expect(await store.getMany('Note', ['a'])).toEqual([]);
        expect(await store.getMany('Todo', [])).toEqual([]);
      });

      it('refuses a second insert of the same key and writes nothing', async () => {
        const first = await insertOne(store, recordWrite('Todo', 't1', { title: 'first' }));
        const seqBefore = await store.committedSeq();
        const { result, written } = await store.transaction((tx) => tx.insert(recordWrite('Todo', 't1', { title: 'second' })));
        expect(result).toBe(false);
        expect(written).toEqual([]);
        expect(await store.get('Todo', 't1')).toEqual(first);
        expect(await store.committedSeq()).toBe(seqBefore);
      });

      it('reads its own writes inside the transaction', async () => {
        await store.transaction(async (tx) => {
          await tx.insert(recordWrite('Todo', 't1', { title: 'x' }));
          const seen = await tx.get('Todo', 't1');
          expect(seen?.data).toEqual({ id: 't1', title: 'x' });
          expect(seen?.version).toBe(1);
        });
      });

      it('accepts operations issued without awaiting each one', async () => {
        const { result, written } = await store.transaction((tx) =>
          Promise.all([
            tx.insert(recordWrite('Todo', 'a', { title: 'a' })),
            tx.insert(recordWrite('Todo', 'b', { title: 'b' })),
            tx.insert(recordWrite('Note', 'c', { body: 'c' })),
            tx.putMutation(mutationResult('m', null)),
          ]),
        );
        expect(result).toEqual([true, true, true, true]);
        expect(written.map((r) => r.key).sort()).toEqual(['a', 'b', 'c']);
      });

      it('names the model when it has no table', async () => {
        await expect(store.get('Nope', 'x')).rejects.toBeInstanceOf(UnknownModelError);
        await expect(store.changes('Nope', 0, 10, 10, 1000)).rejects.toBeInstanceOf(UnknownModelError);
        await expect(store.transaction((tx) => tx.insert(recordWrite('Nope', 'x', {})))).rejects.toThrow(/Unknown model "Nope"/);
      });
    });

    describe('conditional update', () => {
      it('replaces the row when the expected version matches', async () => {
        const v1 = await insertOne(store, recordWrite('Todo', 't1', { title: 'a', done: false }));
        const { result, written } = await store.transaction((tx) =>
          tx.update(recordWrite('Todo', 't1', { title: 'b', done: true }, { version: 2, fieldVersions: { title: 2, done: 2 } }), 1),
        );
        expect(result).toBe(true);
        expect(written).toHaveLength(1);
        const v2 = await store.get('Todo', 't1');
        expect(v2).toEqual(written[0]);
        expect(v2?.version).toBe(2);
        expect(v2?.data).toEqual({ id: 't1', title: 'b', done: true });
        expect(v2?.fieldVersions).toEqual({ title: 2, done: 2 });
        expect(v2!.seq).toBeGreaterThan(v1.seq);
      });

      it('refuses a stale version and writes nothing', async () => {
        const v1 = await insertOne(store, recordWrite('Todo', 't1', { title: 'a' }));
        const seqBefore = await store.committedSeq();
        const { result, written } = await store.transaction((tx) =>
          tx.update(recordWrite('Todo', 't1', { title: 'stale' }, { version: 6 }), 5),
        );
        expect(result).toBe(false);
        expect(written).toEqual([]);
        expect(await store.get('Todo', 't1')).toEqual(v1);
        expect(await store.committedSeq()).toBe(seqBefore);
        const page = await store.changes('Todo', seqBefore, Number.MAX_SAFE_INTEGER, 10, 10_000);
        expect(page.records).toEqual([]);
      });

      it('refuses an update of a missing record', async () => {
        const { result } = await store.transaction((tx) => tx.update(recordWrite('Todo', 'ghost', { title: 'x' }, { version: 2 }), 1));
        expect(result).toBe(false);
        expect(await store.get('Todo', 'ghost')).toBeUndefined();
      });

      it('lets exactly one of 10 concurrent writers that read the same version win', async () => {
        await insertOne(store, recordWrite('Todo', 'hot', { title: 'v1' }));
        const read = await Promise.all(Array.from({ length: 10 }, () => store.get('Todo', 'hot')));
        const outcomes = await Promise.all(
          read.map((record, i) =>
            store.transaction(async (tx) => {
              await new Promise((resolve) => setTimeout(resolve, i % 3));
              return tx.update(recordWrite('Todo', 'hot', { title: `writer ${i}` }, { version: record!.version + 1 }), record!.version);
            }),
          ),
        );
        const winners = outcomes.filter((o) => o.result);
        expect(winners).toHaveLength(1);
        expect(outcomes.filter((o) => o.written.length > 0)).toHaveLength(1);
        const final = await store.get('Todo', 'hot');
        expect(final?.version).toBe(2);
        expect(final).toEqual(winners[0]!.written[0]);
      });

      it('loses no update when 10 concurrent writers read inside their transactions', async () => {
        await insertOne(store, recordWrite('Todo', 'hot', { title: 'v1' }));
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transaction(async (tx) => {
              const current = await tx.get('Todo', 'hot');
              await new Promise((resolve) => setTimeout(resolve, i % 3));
              return tx.update(recordWrite('Todo', 'hot', { title: `writer ${i}` }, { version: current!.version + 1 }), current!.version);
            }),
          ),
        );
        expect(outcomes.every((o) => o.result)).toBe(true);
        expect((await store.get('Todo', 'hot'))?.version).toBe(11);
      });
    });

    describe('tombstones', () => {
      it('keeps a deleted record as a tombstone that get and changes return', async () => {
        const before = await store.committedSeq();
        await insertOne(store, recordWrite('Todo', 't1', { title: 'a' }));
        await store.transaction((tx) => tx.update(recordWrite('Todo', 't1', { title: 'a' }, { version: 2, deleted: true }), 1));
        const tombstone = await store.get('Todo', 't1');
        expect(tombstone?.deleted).toBe(true);
        expect(tombstone?.version).toBe(2);
        const { records } = await readAllChanges(store, 'Todo', before, await store.committedSeq());
        expect(records).toEqual([tombstone]);
        // A tombstone still occupies its key.
        const { result } = await store.transaction((tx) => tx.insert(recordWrite('Todo', 't1', { title: 'again' })));
        expect(result).toBe(false);
      });
    });

    describe('prefetch', () => {
      it('answers, writes and refuses exactly as without it, and commits what it held', async () => {
        await insertOne(store, recordWrite('Todo', 'p1', { title: 'one' }));
        await insertOne(store, recordWrite('Todo', 'p2', { title: 'two' }));
        const { result, written } = await store.transaction(async (tx) => {
          await tx.prefetch('Todo', ['p1', 'p2', 'p3', 'p1']);
          const got = await tx.get('Todo', 'p1');
          const stale = await tx.update(recordWrite('Todo', 'p1', { title: 'stale' }, { version: 3 }), 2);
          const updated = await tx.update(recordWrite('Todo', 'p1', { title: 'one, v2' }, { version: 2 }), 1);
          const again = await tx.update(recordWrite('Todo', 'p1', { title: 'one, v3' }, { version: 3 }), 2);
          const existing = await tx.insert(recordWrite('Todo', 'p2', { title: 'clash' }));
          const created = await tx.insert(recordWrite('Todo', 'p3', { title: 'three' }));
          const createdTwice = await tx.insert(recordWrite('Todo', 'p3', { title: 'three again' }));
          const afterCreate = await tx.update(recordWrite('Todo', 'p3', { title: 'three, v2' }, { version: 2 }), 1);
          const missing = await tx.update(recordWrite('Todo', 'p4', { title: 'nope' }, { version: 2 }), 1);
          return {
            got: got?.data.title,
            stale,
            updated,
            again,
            existing,
            created,
            createdTwice,
            afterCreate,
            missing,
            readBack: (await tx.get('Todo', 'p3'))?.data.title,
          };
        });
        expect(result).toEqual({
          got: 'one',
          stale: false,
          updated: true,
          again: true,
          existing: false,
          created: true,
          createdTwice: false,
          afterCreate: true,
          missing: false,
          readBack: 'three, v2',
        });
        expect(written.map((r) => [r.key, r.version, r.data.title]).sort()).toEqual([
          ['p1', 3, 'one, v3'],
          ['p3', 2, 'three, v2'],
        ]);
        for (const record of written) expect(await store.get('Todo', record.key)).toEqual(record);
        expect((await store.get('Todo', 'p2'))?.data.title).toBe('two');
        const page = await readAllChanges(store, 'Todo', 0, await store.committedSeq());
        expect(page.records.map((r) => r.key).sort()).toEqual(['p1', 'p2', 'p3']);
      });

      it('writes nothing it held when the transaction throws', async () => {
        await insertOne(store, recordWrite('Todo', 'p1', { title: 'one' }));
        await expect(
          store.transaction(async (tx) => {
            await tx.prefetch('Todo', ['p1', 'p9']);
            await tx.update(recordWrite('Todo', 'p1', { title: 'lost' }, { version: 2 }), 1);
            await tx.insert(recordWrite('Todo', 'p9', { title: 'lost' }));
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect((await store.get('Todo', 'p1'))?.version).toBe(1);
        expect(await store.get('Todo', 'p9')).toBeUndefined();
      });

      it('loses no update when 10 concurrent writers prefetch the same record', async () => {
        await insertOne(store, recordWrite('Todo', 'hot', { title: '0' }));
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transaction(async (tx) => {
              await tx.prefetch('Todo', ['hot']);
              const current = (await tx.get('Todo', 'hot'))!;
              const ok = await tx.update(
                recordWrite('Todo', 'hot', { title: `${current.data.title}+${i}` }, { version: current.version + 1 }),
                current.version,
              );
              expect(ok).toBe(true);
            }),
          ),
        );
        const final = (await store.get('Todo', 'hot'))!;
        expect(final.version).toBe(11);
        expect(String(final.data.title).split('+')).toHaveLength(11);
      });
    });

    describe('sequence', () => {
      it('starts at 0 and increases with every committed write, across models', async () => {
        expect(await store.committedSeq()).toBe(0);
        const seqs: number[] = [];
        for (let i = 0; i < 5; i++) {
          const { written } = await store.transaction(async (tx) => {
            await tx.insert(recordWrite('Todo', `t${i}`, { title: 'x' }));
            await tx.insert(recordWrite('Note', `n${i}`, { body: 'y' }));
          });
          expect(written.map((r) => r.model).sort()).toEqual(['Note', 'Todo']);
          seqs.push(...written.map((r) => r.seq));
          expect(await store.committedSeq()).toBe(Math.max(...seqs));
        }
        expect(new Set(seqs).size).toBe(seqs.length);
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      });

      it('reports each record once in written, with its final state, when a transaction writes it twice', async () => {
        const { written } = await store.transaction(async (tx) => {
          await tx.insert(recordWrite('Todo', 't1', { title: 'a' }));
          await tx.update(recordWrite('Todo', 't1', { title: 'b' }, { version: 2 }), 1);
        });
        expect(written).toHaveLength(1);
        expect(written[0]?.data.title).toBe('b');
        expect(await store.get('Todo', 't1')).toEqual(written[0]);
        expect(await store.committedSeq()).toBe(written[0]!.seq);
      });

      it('never lets a cursor pass a write that commits later (the changes at or below a cursor never grow)', async () => {
        const hold = gate();
        const wrote = gate();
        let slowCommitted = false;
        const slow = store
          .transaction(async (tx) => {
            await tx.insert(recordWrite('Todo', 'slow', { title: 'written first, committed last' }));
            wrote.open();
            await hold.promise;
          })
          .finally(() => {
            slowCommitted = true;
          });
        await wrote.promise;
        // A second writer while the first is open: it commits first wherever the database allows it
        // (SQLite has one writer: there it waits for the first).
        const fast = store.transaction((tx) => tx.insert(recordWrite('Todo', 'fast', { title: 'written second' })));
        await Promise.race([fast, new Promise((resolve) => setTimeout(resolve, 300))]);
        // A sync while the first is open (a store whose reads queue behind writes answers after it).
        const reading = store.committedSeq().then(async (cursor) => {
          const openWhenRead = !slowCommitted;
          return { cursor, openWhenRead, before: await readAllChanges(store, 'Todo', 0, cursor) };
        });
        await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 50))]);
        hold.open();
        const [slowResult, fastResult, { cursor, openWhenRead, before }] = await Promise.all([slow, fast, reading]);
        if (openWhenRead) {
          expect(before.records.map((r) => r.key)).not.toContain('slow');
          expect(slowResult.written[0]!.seq).toBeGreaterThan(cursor);
        }
        // Read again up to the same cursor after both committed: nothing appeared below it.
        expect(await readAllChanges(store, 'Todo', 0, cursor)).toEqual(before);
        // The next sync from that cursor gets every record it did not have, each once.
        const after = await readAllChanges(store, 'Todo', cursor, await store.committedSeq());
        const delivered = [...before.records, ...after.records].map((r) => r.key).sort();
        expect(delivered).toEqual(['fast', 'slow']);
        expect(fastResult.written[0]!.seq).not.toBe(slowResult.written[0]!.seq);
      });

      it('makes nothing of a throwing transaction visible', async () => {
        await insertOne(store, recordWrite('Todo', 'keep', { title: 'v1' }));
        const seqBefore = await store.committedSeq();
        const boom = new Error('boom');
        await expect(
          store.transaction(async (tx) => {
            await tx.insert(recordWrite('Todo', 'new', { title: 'x' }));
            await tx.update(recordWrite('Todo', 'keep', { title: 'v2' }, { version: 2 }), 1);
            await tx.putMutation(mutationResult('m-failed', { ok: true }));
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.get('Todo', 'new')).toBeUndefined();
        expect((await store.get('Todo', 'keep'))?.version).toBe(1);
        expect(await store.committedSeq()).toBe(seqBefore);
        expect((await store.changes('Todo', seqBefore, Number.MAX_SAFE_INTEGER, 10, 10_000)).records).toEqual([]);
        await store.transaction(async (tx) => expect(await tx.getMutation('alice', 'm-failed')).toBeUndefined());
        // The store is still usable and later seqs still increase.
        const after = await insertOne(store, recordWrite('Todo', 'later', { title: 'y' }));
        expect(after.seq).toBeGreaterThan(seqBefore);
        expect(await store.committedSeq()).toBe(after.seq);
      });

      it('refuses a transaction handle used after its transaction ended', async () => {
        let leaked: Parameters<Parameters<RecordStore['transaction']>[0]>[0] | undefined;
        await store.transaction(async (tx) => {
          leaked = tx;
        });
        await expect(leaked!.insert(recordWrite('Todo', 'late', { title: 'x' }))).rejects.toBeInstanceOf(TransactionClosedError);
        expect(await store.get('Todo', 'late')).toBeUndefined();
      });
    });

    describe('mutation results', () => {
      it('stores a result and finds it in a later transaction; the first result wins and a second put says so', async () => {
        const result = { data: { createTodo: { id: 't1', _version: 1 } }, list: [1, 'two', null] };
        await store.transaction(async (tx) => {
          expect(await tx.getMutation('alice', 'm1')).toBeUndefined();
          expect(await tx.putMutation(mutationResult('m1', result))).toBe(true);
        });
        await store.transaction(async (tx) => {
          expect(await tx.putMutation(mutationResult('m1', { other: true }, 'alice', 'another-hash'))).toBe(false);
        });
        await store.transaction(async (tx) => {
          expect(await tx.getMutation('alice', 'm1')).toEqual(mutationResult('m1', result));
          expect(await tx.getMutation('alice', 'm2')).toBeUndefined();
        });
      });

      it('a put racing a concurrent put of the same caller and id stores one result, and the loser learns it', async () => {
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let stored!: () => void;
        const firstPut = new Promise<void>((resolve) => (stored = resolve));
        const first = store.transaction(async (tx) => {
          const ok = await tx.putMutation(mutationResult('race', 'first'));
          stored();
          await held;
          return ok;
        });
        await firstPut;
        const second = store.transaction((tx) => tx.putMutation(mutationResult('race', 'second')));
        release();
        expect((await first).result).toBe(true);
        expect((await second).result).toBe(false);
        await store.transaction(async (tx) => expect((await tx.getMutation('alice', 'race'))?.result).toBe('first'));
      });

      it('keeps results per caller: the same mutation id of two callers is two results, each found only by its caller', async () => {
        await store.transaction(async (tx) => {
          expect(await tx.putMutation(mutationResult('shared', { who: 'alice' }, 'alice', 'h1'))).toBe(true);
          expect(await tx.getMutation('bob', 'shared')).toBeUndefined();
          expect(await tx.putMutation(mutationResult('shared', { who: 'bob' }, 'bob', 'h2'))).toBe(true);
        });
        await store.transaction(async (tx) => {
          expect(await tx.getMutation('alice', 'shared')).toEqual(mutationResult('shared', { who: 'alice' }, 'alice', 'h1'));
          expect(await tx.getMutation('bob', 'shared')).toEqual(mutationResult('shared', { who: 'bob' }, 'bob', 'h2'));
          expect(await tx.getMutation('carol', 'shared')).toBeUndefined();
        });
      });
    });

    describe('mutation results read ahead', () => {
      it('answers and stores exactly as without prefetchMutations, per caller', async () => {
        await store.transaction((tx) => tx.putMutation(mutationResult('old', { n: 1 })));
        await store.transaction(async (tx) => {
          await tx.prefetchMutations('alice', ['old', 'new', 'new', 'other']);
          await tx.prefetchMutations('bob', ['old']);
          expect(await tx.getMutation('alice', 'old')).toEqual(mutationResult('old', { n: 1 }));
          expect(await tx.getMutation('bob', 'old')).toBeUndefined();
          expect(await tx.getMutation('alice', 'new')).toBeUndefined();
          expect(await tx.putMutation(mutationResult('old', { n: 2 }))).toBe(false);
          expect(await tx.putMutation(mutationResult('new', { n: 3 }))).toBe(true);
          expect(await tx.putMutation(mutationResult('new', { n: 4 }))).toBe(false);
          expect(await tx.getMutation('alice', 'new')).toEqual(mutationResult('new', { n: 3 }));
          expect(await tx.putMutation(mutationResult('old', { who: 'bob' }, 'bob'))).toBe(true);
        });
        await store.transaction(async (tx) => {
          expect(await tx.getMutation('alice', 'old')).toEqual(mutationResult('old', { n: 1 }));
          expect(await tx.getMutation('alice', 'new')).toEqual(mutationResult('new', { n: 3 }));
          expect(await tx.getMutation('bob', 'old')).toEqual(mutationResult('old', { who: 'bob' }, 'bob'));
          expect(await tx.getMutation('alice', 'other')).toBeUndefined();
        });
      });

      it('stores nothing it held when the transaction throws', async () => {
        await expect(
          store.transaction(async (tx) => {
            await tx.prefetchMutations('alice', ['gone']);
            expect(await tx.putMutation(mutationResult('gone', 1))).toBe(true);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        await store.transaction(async (tx) => expect(await tx.getMutation('alice', 'gone')).toBeUndefined());
      });

      it('a put of an id read ahead, racing a concurrent put, stores one result; the transaction runs again and finds it', async () => {
        let runs = 0;
        const readAhead = gate();
        const other = gate();
        const mine = store.transaction(async (tx) => {
          runs++;
          await tx.prefetchMutations('alice', ['race']);
          if (runs === 1) {
            readAhead.open();
            await other.promise;
          }
          return (await tx.getMutation('alice', 'race')) ?? (await tx.putMutation(mutationResult('race', 'mine')));
        });
        await readAhead.promise;
        // SQLite: this transaction waits for the first; PostgreSQL: it commits first.
        const theirs = store.transaction((tx) => tx.putMutation(mutationResult('race', 'theirs')));
        await Promise.race([theirs, new Promise((resolve) => setTimeout(resolve, 300))]);
        other.open();
        const [a, b] = await Promise.all([mine, theirs]);
        const stored = await store.transaction((tx) => tx.getMutation('alice', 'race'));
        // Exactly one result was stored, and each transaction's answer agrees with it.
        if (stored.result!.result === 'mine') {
          expect(a.result).toBe(true);
          expect(b.result).toBe(false);
        } else {
          expect(stored.result!.result).toBe('theirs');
          expect(b.result).toBe(true);
          expect(a.result).toEqual(mutationResult('race', 'theirs'));
          expect(runs).toBe(2);
        }
      });
    });

    describe('sync marks', () => {
      it('stores marks, finds the latest and keeps them unique', async () => {
        expect(await store.latestSyncMark()).toBe(0);
        expect(await store.getSyncMark(1000)).toBeUndefined();
        await store.putSyncMark(1000, 5);
        await store.putSyncMark(3000, 9);
        await store.putSyncMark(2000, 7);
        expect(await store.getSyncMark(1000)).toBe(5);
        expect(await store.getSyncMark(2000)).toBe(7);
        expect(await store.latestSyncMark()).toBe(3000);
        await store.putSyncMark(1000, 5); // the same mark again is harmless
        await expect(store.putSyncMark(1000, 6)).rejects.toBeInstanceOf(SyncMarkConflictError);
        expect(await store.getSyncMark(1000)).toBe(5);
      });
    });

    describe('changes', () => {
      async function seed(count: number, model = 'Todo', size = 10): Promise<ServerRecord[]> {
        const { written } = await store.transaction(async (tx) => {
          for (let i = 0; i < count; i++) {
            await tx.insert(recordWrite(model, `${model}-${String(i).padStart(3, '0')}`, { title: 'x'.repeat(size) }));
          }
        });
        return written;
      }

      it('pages by rows', async () => {
        const written = await seed(10);
        const until = await store.committedSeq();
        const pages = [];
        let cursor = 0;
        for (;;) {
          const page = await store.changes('Todo', cursor, until, 3, 1_000_000);
          pages.push(page);
          cursor = page.lastSeq;
          if (!page.more) break;
        }
        expect(pages.map((p) => p.records.length)).toEqual([3, 3, 3, 1]);
        expect(pages.map((p) => p.more)).toEqual([true, true, true, false]);
        expect(pages.flatMap((p) => p.records)).toEqual(written);
        expect(pages[0]!.lastSeq).toBe(written[2]!.seq);
        const exact = await store.changes('Todo', 0, until, 10, 1_000_000);
        expect(exact.records).toHaveLength(10);
        expect(exact.more).toBe(false);
      });

      it('pages by bytes, always returning at least one record', async () => {
        const small = await seed(6, 'Todo', 80);
        const size = Buffer.byteLength(JSON.stringify(small[0]!.data));
        const until = await store.committedSeq();
        const page = await store.changes('Todo', 0, until, 100, size * 2 + 1);
        expect(page.records).toEqual(small.slice(0, 2));
        expect(page.more).toBe(true);
        const { records, pages } = await readAllChanges(store, 'Todo', 0, until, 100, size * 2 + 1);
        expect(records).toEqual(small);
        expect(pages).toBe(3);
        const tiny = await store.changes('Todo', 0, until, 100, 1);
        expect(tiny.records).toEqual(small.slice(0, 1));
        expect(tiny.more).toBe(true);
      });

      it('counts the records of a range as changes() pages them out', async () => {
        const written = await seed(7);
        const seqs = written.map((r) => r.seq);
        const until = await store.committedSeq();
        expect(await store.countChanges('Todo', 0, until)).toBe(7);
        expect(await store.countChanges('Todo', seqs[1]!, seqs[4]!)).toBe(3);
        expect(await store.countChanges('Todo', seqs[6]!, seqs[6]!)).toBe(0);
        expect(await store.countChanges('Note', 0, until)).toBe(0);
        // An update moves a record to a new seq: it is counted once, where it now is.
        await store.transaction(async (tx) => {
          const current = (await tx.get('Todo', written[0]!.key))!;
          await tx.update({ ...current, version: current.version + 1 }, current.version);
        });
        const after = await store.committedSeq();
        expect(await store.countChanges('Todo', 0, after)).toBe(7);
        expect(await store.countChanges('Todo', until, after)).toBe(1);
        await expect(store.countChanges('Nope', 0, 10)).rejects.toBeInstanceOf(UnknownModelError);
      });

      it('respects afterSeq and untilSeq and answers an empty range', async () => {
        const written = await seed(5);
        const seqs = written.map((r) => r.seq);
        const middle = await store.changes('Todo', seqs[0]!, seqs[3]!, 100, 1_000_000);
        expect(middle.records).toEqual(written.slice(1, 4));
        expect(middle.more).toBe(false);
        expect(middle.lastSeq).toBe(seqs[3]);
        const empty = await store.changes('Todo', seqs[4]!, seqs[4]!, 100, 1_000_000);
        expect(empty).toEqual({ records: [], lastSeq: seqs[4], more: false });
        const otherModel = await store.changes('Note', 0, seqs[4]!, 100, 1_000_000);
        expect(otherModel).toEqual({ records: [], lastSeq: 0, more: false });
        // An update moves the record to the end of the sequence.
        await store.transaction((tx) => tx.update(recordWrite('Todo', written[0]!.key, { title: 'moved' }, { version: 2 }), 1));
        const after = await store.changes('Todo', seqs[4]!, await store.committedSeq(), 100, 1_000_000);
        expect(after.records.map((r) => r.key)).toEqual([written[0]!.key]);
      });

      it('rejects a zero limit', async () => {
        await expect(store.changes('Todo', 0, 10, 0, 1000)).rejects.toBeInstanceOf(RangeError);
      });

      it('delivers exactly the final state of every record, whatever the writes and page sizes (property)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(fc.constantFrom('Todo', 'Note'), fc.integer({ min: 0, max: 5 }), fc.boolean()), {
              minLength: 1,
              maxLength: 25,
            }),
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 1, max: 200 }),
            async (ops, limit, maxBytes) => {
              const cursor = await store.committedSeq();
              const expected = new Map<string, ServerRecord>();
              for (const [model, n, remove] of ops) {
                const key = `p${cursor}-${n}`;
                await store.transaction(async (tx) => {
                  const current = await tx.get(model, key);
                  const write = recordWrite(model, key, { title: `${remove}-${n}`, body: 'b' }, {
                    version: (current?.version ?? 0) + 1,
                    deleted: remove,
                  });
                  const ok = current ? await tx.update(write, current.version) : await tx.insert(write);
                  expect(ok).toBe(true);
                });
                expected.set(`${model}/${key}`, (await store.get(model, key))!);
              }
              const until = await store.committedSeq();
              const seen = new Map<string, ServerRecord>();
              for (const model of ['Todo', 'Note']) {
                const { records } = await readAllChanges(store, model, cursor, until, limit, maxBytes);
                for (const record of records) {
                  expect(seen.has(`${model}/${record.key}`)).toBe(false);
                  seen.set(`${model}/${record.key}`, record);
                }
              }
              expect(seen).toEqual(expected);
            },
          ),
          { numRuns: 15 },
        );
      });
    });

    describe('purge', () => {
      it('deletes old tombstones, marks and mutation results, and nothing else', async () => {
        const old = 1_000;
        const recent = 5_000;
        await store.transaction(async (tx) => {
          await tx.insert(recordWrite('Todo', 'live-old', { title: 'kept' }, { lastChangedAt: old }));
          await tx.insert(recordWrite('Todo', 'dead-old', { title: 'gone' }, { lastChangedAt: old, deleted: true }));
          await tx.insert(recordWrite('Note', 'dead-old', { body: 'gone' }, { lastChangedAt: old, deleted: true }));
          await tx.insert(recordWrite('Todo', 'dead-recent', { title: 'kept' }, { lastChangedAt: recent, deleted: true }));
          await tx.putMutation(mutationResult('m1', 1));
        });
        await store.putSyncMark(old, 1);
        await store.putSyncMark(recent, 2);
        const counts = await store.purge(3_000);
        expect(counts).toEqual({ tombstones: 2, marks: 1, mutations: 0 });
        expect(await store.get('Todo', 'live-old')).toBeDefined();
        expect(await store.get('Todo', 'dead-old')).toBeUndefined();
        expect(await store.get('Note', 'dead-old')).toBeUndefined();
        expect(await store.get('Todo', 'dead-recent')).toBeDefined();
        expect(await store.getSyncMark(old)).toBeUndefined();
        expect(await store.getSyncMark(recent)).toBe(2);
        // Mutation results are stamped when stored, so only a cut-off in the future removes this one.
        expect(await store.purge(Date.now() + 60_000)).toMatchObject({ mutations: 1 });
        await store.transaction(async (tx) => expect(await tx.getMutation('alice', 'm1')).toBeUndefined());
      });
    });

    describe('migrate', () => {
      it('is a no-op when run again with the same schema', async () => {
        const stored = await insertOne(store, recordWrite('Todo', 't1', { title: 'a' }));
        await store.transaction((tx) => tx.putMutation(mutationResult('m1', 'r')));
        await store.putSyncMark(10, stored.seq);
        await store.migrate(contractSchema);
        await store.migrate(contractSchema);
        expect(await store.get('Todo', 't1')).toEqual(stored);
        expect(await store.committedSeq()).toBe(stored.seq);
        expect(await store.getSyncMark(10)).toBe(stored.seq);
        await store.transaction(async (tx) => expect(await tx.getMutation('alice', 'm1')).toEqual(mutationResult('m1', 'r')));
      });

      it('adds a new model and keeps existing data and the sequence', async () => {
        const stored = await insertOne(store, recordWrite('Todo', 't1', { title: 'a' }));
        await expect(store.get('Tag', 'x')).rejects.toBeInstanceOf(UnknownModelError);
        await store.migrate(contractSchemaAdditive);
        expect(await store.get('Todo', 't1')).toEqual(stored);
        const tag = await insertOne(store, recordWrite('Tag', 'g1', { label: 'home' }));
        expect(tag.seq).toBeGreaterThan(stored.seq);
        expect((await store.changes('Tag', 0, await store.committedSeq(), 10, 10_000)).records).toEqual([tag]);
        // Running the old schema again (an older server process) drops nothing.
        await store.migrate(contractSchema);
        expect(await store.get('Tag', 'g1')).toEqual(tag);
      });
    });
  });
}
