import { Pool } from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerRecord } from './record-store';
import { contractSchema, describeRecordStoreContract, gate, mutationResult, readAllChanges, recordWrite } from './record-store.contract';
import type { PostgresRecordStore } from './postgres-record-store';
import { TEST_DATABASE_URL, createTestPostgresStore, dropTestSchemas, testSchemaName } from './postgres-test-support';

afterAll(dropTestSchemas);

describeRecordStoreContract('PostgreSQL', async () => createTestPostgresStore());

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('PostgresRecordStore specifics', () => {
  let store: PostgresRecordStore;

  beforeEach(async () => {
    store = createTestPostgresStore({ max: 12 });
    await store.migrate(contractSchema);
  });

  afterEach(async () => {
    await store.close();
  });

  it('creates the documented layout in its own schema', async () => {
    const { rows } = await store.pool.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [store.schema],
    );
    expect(rows.map((r) => r.table_name)).toEqual([
      'offgrid_mutation_results',
      'offgrid_schema',
      'offgrid_state',
      'offgrid_sync_marks',
      'rec_Note',
      'rec_Todo',
    ]);
    const columns = await store.pool.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'rec_Todo' ORDER BY ordinal_position`,
      [store.schema],
    );
    expect(columns.rows.map((c) => `${c.column_name}:${c.data_type}`)).toEqual([
      'key:text',
      'data:jsonb',
      'version:integer',
      'deleted:boolean',
      'last_changed_at:bigint',
      'seq:bigint',
      'field_versions:jsonb',
    ]);
    expect((await store.storedSchema())?.hash).toBe(contractSchema.hash);
  });

  it('upgrades a schema of a server before per-caller mutation results: data kept, old global results never replayed', async () => {
    const legacySchema = testSchemaName();
    const old = createTestPostgresStore({ schema: legacySchema });
    await old.migrate(contractSchema);
    await old.transaction((tx) => tx.insert(recordWrite('Todo', 't1', { title: 'a' })));
    // What an older server left behind: results keyed by mutation id alone, and no per-caller table.
    await old.pool.query(`DROP TABLE "${legacySchema}".offgrid_mutation_results`);
    await old.pool.query(`CREATE TABLE "${legacySchema}".offgrid_mutations (mutation_id TEXT PRIMARY KEY, result TEXT NOT NULL, created_at BIGINT NOT NULL)`);
    await old.pool.query(`INSERT INTO "${legacySchema}".offgrid_mutations VALUES ('m-old', '{"ok":true}', $1)`, [Date.now()]);
    await old.close();

    const upgraded = createTestPostgresStore({ schema: legacySchema });
    try {
      await upgraded.migrate(contractSchema);
      expect((await upgraded.get('Todo', 't1'))?.data).toEqual({ id: 't1', title: 'a' });
      await upgraded.transaction(async (tx) => {
        expect(await tx.getMutation('alice', 'm-old')).toBeUndefined();
        expect(await tx.putMutation(mutationResult('m-old', 'new'))).toBe(true);
      });
      await upgraded.transaction(async (tx) => expect((await tx.getMutation('alice', 'm-old'))?.result).toBe('new'));
    } finally {
      await upgraded.close();
    }
  });

  it('survives concurrent migrations from several processes', async () => {
    const others = Array.from({ length: 4 }, () => createTestPostgresStore({ schema: testSchemaName(), max: 2 }));
    const shared = testSchemaName();
    const racers = Array.from({ length: 6 }, () => createTestPostgresStore({ schema: shared, max: 2 }));
    try {
      await Promise.all([...racers, ...others].map((s) => s.migrate(contractSchema)));
      expect(await racers[0]!.committedSeq()).toBe(0);
    } finally {
      await Promise.all([...racers, ...others].map((s) => s.close()));
    }
  });

  /**
   * THE out-of-order commit race. A writes first (so it holds the lower seq) but commits last; B commits in
   * between, while A is still open, and a sync reads up to the watermark. No lock orders the commits: B
   * really commits first (it returns while A is open), so the watermark alone must keep A from being skipped.
   */
  it('never hides a late commit behind a sync cursor (held-open transaction)', async () => {
    const aWrote = gate();
    const releaseA = gate();
    const a = store.transaction(async (tx) => {
      expect(await tx.insert(recordWrite('Todo', 'A', { title: 'written first, committed last' }))).toBe(true);
      aWrote.open();
      await releaseA.promise;
    });
    await aWrote.promise;

    // B runs on a second pool connection and commits while A's connection holds its transaction open.
    const b = await store.transaction((tx) => tx.insert(recordWrite('Todo', 'B', { title: 'written second, committed first' })));
    const bSeq = b.written[0]!.seq;

    // A sync now must not pass A's seq, so it cannot hand out B (seq above A's) either.
    const cursor = await store.committedSeq();
    expect(cursor).toBeLessThan(bSeq);
    const first = await readAllChanges(store, 'Todo', 0, cursor);
    expect(first.records).toEqual([]);
    // A's row exists (uncommitted) but is invisible to everyone else.
    const pending = await store.pool.query(`SELECT count(*)::int AS n FROM ${store.qualified('rec_Todo')} WHERE key = 'A'`);
    expect(pending.rows[0].n).toBe(0);

    releaseA.open();
    const aResult = await a;
    const aSeq = aResult.written[0]!.seq;
    expect(aSeq).toBeGreaterThan(cursor);
    expect(aSeq).toBeLessThan(bSeq);

    // The next delta sync from the first sync's cursor finds both, A first (seq order), each once.
    const next = await store.committedSeq();
    expect(next).toBe(bSeq);
    const second = await readAllChanges(store, 'Todo', cursor, next);
    expect(second.records.map((r) => r.key)).toEqual(['A', 'B']);
    expect(second.records[0]!.seq).toBe(aSeq);
  });

  it('commits concurrent transactions without waiting for each other (no global commit lock)', async () => {
    // A holds its transaction open after writing; B, C and D commit meanwhile, each on its own connection.
    const aWrote = gate();
    const releaseA = gate();
    const a = store.transaction(async (tx) => {
      await tx.insert(recordWrite('Todo', 'A', { title: 'open' }));
      aWrote.open();
      await releaseA.promise;
    });
    await aWrote.promise;
    const others = await Promise.all(
      ['B', 'C', 'D'].map((key) => store.transaction((tx) => tx.insert(recordWrite('Note', key, { body: key })))),
    );
    expect(others.map((r) => r.written.length)).toEqual([1, 1, 1]);
    releaseA.open();
    await a;
    const all = await readAllChanges(store, 'Note', 0, await store.committedSeq());
    expect(all.records.map((r) => r.key).sort()).toEqual(['B', 'C', 'D']);
  });

  it('does not hold its watermark back for a long transaction of another application on the same database', async () => {
    const other = await store.pool.connect();
    try {
      // Another application's transaction, with a transaction id, left open.
      await other.query('BEGIN');
      await other.query('CREATE TEMP TABLE other_app (x int)');
      await other.query('SELECT pg_current_xact_id()');
      const { written } = await store.transaction((tx) => tx.insert(recordWrite('Todo', 'mine', { title: 'x' })));
      expect(await store.committedSeq()).toBe(written[0]!.seq);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      other.release();
    }
  });

  it('opens a database written by the previous release (commit lock, seq stamped at commit) and continues its sequence', async () => {
    // The previous release kept `offgrid_state.last_seq` as the committed seq; the layout is unchanged.
    const old = await store.transaction(async (tx) => {
      await tx.insert(recordWrite('Todo', 'old-1', { title: 'before the upgrade' }));
      await tx.insert(recordWrite('Note', 'old-2', { body: 'before the upgrade' }));
    });
    const oldSeq = Math.max(...old.written.map((r) => r.seq));
    await store.pool.query(`UPDATE ${store.qualified('offgrid_state')} SET last_seq = $1`, [oldSeq]);
    const reopened = createTestPostgresStore({ schema: store.schema });
    try {
      await reopened.migrate(contractSchema);
      expect(await reopened.committedSeq()).toBe(oldSeq);
      expect((await readAllChanges(reopened, 'Todo', 0, oldSeq)).records.map((r) => r.key)).toEqual(['old-1']);
      const next = await reopened.transaction((tx) => tx.insert(recordWrite('Todo', 'new-1', { title: 'after' })));
      expect(next.written[0]!.seq).toBeGreaterThan(oldSeq);
      expect((await readAllChanges(reopened, 'Todo', oldSeq, await reopened.committedSeq())).records.map((r) => r.key)).toEqual(['new-1']);
    } finally {
      await reopened.close();
    }
  });

  it('does not pass a write of a previous-release server that is between taking its seq and committing', async () => {
    // The previous release: rows written with seq NULL, then under an exclusive advisory lock stamped
    // from the sequence and committed. Simulated on a raw connection of its own.
    const lockKey = (text: string) => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
      }
      return hash | 0;
    };
    const legacy = await store.pool.connect();
    let legacyCommitted = false;
    try {
      await legacy.query('BEGIN');
      await legacy.query(
        `INSERT INTO ${store.qualified('rec_Todo')} (key, data, version, deleted, last_changed_at, seq, field_versions)
         VALUES ('legacy', '{"title":"old server"}', 1, false, 1, NULL, '{}')`,
      );
      await legacy.query('SELECT pg_advisory_xact_lock($1, $2)', [0x6f666667, lockKey(`seq:${store.schema}`)]);
      await legacy.query(`UPDATE ${store.qualified('rec_Todo')} SET seq = nextval('${store.schema}.offgrid_seq') WHERE key = 'legacy'`);
      // A new-release write commits above it meanwhile.
      const newer = await store.transaction((tx) => tx.insert(recordWrite('Todo', 'newer', { title: 'new server' })));
      const reading = store.committedSeq().then(async (cursor) => ({
        cursor,
        legacyWasCommitted: legacyCommitted,
        before: await readAllChanges(store, 'Todo', 0, cursor),
      }));
      await Promise.race([reading, sleep(300)]);
      await legacy.query(`UPDATE ${store.qualified('offgrid_state')} SET last_seq = GREATEST(last_seq, $1)`, [newer.written[0]!.seq - 1]);
      await legacy.query('COMMIT');
      legacyCommitted = true;
      const { cursor, before } = await reading;
      // Whatever the cursor, the changes at or below it did not grow when the old server committed.
      expect(await readAllChanges(store, 'Todo', 0, cursor)).toEqual(before);
      const all = await readAllChanges(store, 'Todo', 0, await store.committedSeq());
      expect(all.records.map((r) => r.key).sort()).toEqual(['legacy', 'newer']);
    } finally {
      if (!legacyCommitted) await legacy.query('ROLLBACK').catch(() => undefined);
      legacy.release();
    }
  });

  it('control: the same race loses a record under a write-time sequence (so the test above really races)', async () => {
    const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
    const t = store.qualified('naive');
    try {
      await pool.query(`CREATE TABLE ${t} (key TEXT PRIMARY KEY, seq BIGSERIAL)`);
      const a = await pool.connect();
      try {
        await a.query('BEGIN');
        await a.query(`INSERT INTO ${t} (key) VALUES ('A')`); // takes seq 1 now
        await pool.query(`INSERT INTO ${t} (key) VALUES ('B')`); // seq 2, commits
        const cursor = Number((await pool.query(`SELECT max(seq) AS s FROM ${t}`)).rows[0].s);
        await a.query('COMMIT');
        const later = await pool.query(`SELECT key FROM ${t} WHERE seq > $1`, [cursor]);
        expect(cursor).toBe(2);
        expect(later.rows).toEqual([]); // A (seq 1) is never delivered: the bug PostgresRecordStore avoids
      } finally {
        a.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('delivers every committed record to a reader looping delta syncs during 8 writers x 50 transactions', async () => {
    const writers = 8;
    const perWriter = 50;
    const committed = new Map<string, ServerRecord>();
    let done = false;
    let lateCommits = 0;

    const seen = new Map<string, ServerRecord>();
    let reads = 0;
    const reader = (async () => {
      const cursors: Record<string, number> = { Todo: 0, Note: 0 };
      for (;;) {
        const finished = done;
        const until = await store.committedSeq();
        for (const model of ['Todo', 'Note']) {
          const { records } = await readAllChanges(store, model, cursors[model]!, until, 7, 2_000);
          for (const record of records) {
            expect(record.seq).toBeGreaterThan(cursors[model]!);
            expect(record.seq).toBeLessThanOrEqual(until);
            const id = `${model}/${record.key}`;
            const previous = seen.get(id);
            if (!previous || previous.seq < record.seq) seen.set(id, record);
          }
          cursors[model] = until;
        }
        reads++;
        if (finished) return;
        await sleep(1);
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const cursorAtStart = await store.committedSeq();
          const { written } = await store.transaction(async (tx) => {
            await tx.insert(recordWrite('Todo', `w${w}-${i}`, { title: `writer ${w} tx ${i}` }));
            await sleep(Math.random() * 3);
            if (i % 5 === 4) {
              // Also update an earlier record of this writer, and touch another model.
              const key = `w${w}-${i - 4}`;
              const current = await tx.get('Todo', key);
              await tx.update(recordWrite('Todo', key, { title: 'updated' }, { version: current!.version + 1 }), current!.version);
              await tx.insert(recordWrite('Note', `w${w}-${i}`, { body: 'note' }));
            }
          });
          for (const record of written) {
            if (record.seq <= cursorAtStart) lateCommits++;
            committed.set(`${record.model}/${record.key}`, record);
          }
        }
      }),
    );
    done = true;
    await reader;

    expect(lateCommits).toBe(0);
    expect(reads).toBeGreaterThan(5);
    expect(committed.size).toBe(writers * perWriter + writers * (perWriter / 5));
    expect([...seen.keys()].sort()).toEqual([...committed.keys()].sort());
    for (const [id, record] of committed) expect(seen.get(id), id).toEqual(record);
  });

  it('runs a transaction again when another inserted a key it had prefetched as missing', async () => {
    let attempts = 0;
    const prefetched = gate();
    const other = gate();
    const mine = store.transaction(async (tx) => {
      attempts++;
      await tx.prefetch('Todo', ['race']);
      if (attempts === 1) {
        prefetched.open();
        await other.promise;
      }
      // Decided in memory from the prefetch (first run: missing, so true), checked when the writes are sent.
      return tx.insert(recordWrite('Todo', 'race', { title: 'mine' }));
    });
    await prefetched.promise;
    await store.transaction((tx) => tx.insert(recordWrite('Todo', 'race', { title: 'theirs' })));
    other.open();
    const { result, written } = await mine;
    expect(attempts).toBe(2);
    expect(result).toBe(false);
    expect(written).toEqual([]);
    expect((await store.get('Todo', 'race'))?.data.title).toBe('theirs');
  });

  it('retries a transaction that deadlocks', async () => {
    await store.transaction(async (tx) => {
      await tx.insert(recordWrite('Todo', 'x', { title: 'x' }));
      await tx.insert(recordWrite('Todo', 'y', { title: 'y' }));
    });
    const attempts = { xy: 0, yx: 0 };
    const both = gate();
    let locked = 0;
    const run = (first: 'x' | 'y', second: 'x' | 'y', name: 'xy' | 'yx') =>
      store.transaction(async (tx) => {
        attempts[name]++;
        const a = await tx.get('Todo', first);
        if (attempts[name] === 1 && ++locked === 2) both.open();
        if (attempts[name] === 1) await both.promise;
        const b = await tx.get('Todo', second);
        await tx.update(recordWrite('Todo', first, { title: name }, { version: a!.version + 1 }), a!.version);
        await tx.update(recordWrite('Todo', second, { title: name }, { version: b!.version + 1 }), b!.version);
      });
    const results = await Promise.all([run('x', 'y', 'xy'), run('y', 'x', 'yx')]);
    expect(results.every((r) => r.written.length === 2)).toBe(true);
    expect(attempts.xy + attempts.yx).toBe(3);
    expect((await store.get('Todo', 'x'))?.version).toBe(3);
  });
});
