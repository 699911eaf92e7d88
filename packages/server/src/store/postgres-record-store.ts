import { Pool } from 'pg';
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { NormalizedSchema } from '@offgrid/schema';
import type {
  ChangePage,
  RecordStore,
  RecordTransaction,
  RecordWrite,
  ServerRecord,
  StoredMutationResult,
} from './record-store';
import { MUTATION_RESULTS_TABLE, mutationResultsDdl } from './mutation-results-table';
import { PrefetchedMutations } from './postgres-prefetched-mutations';
import { PrefetchedRecords } from './postgres-prefetched-records';
import { SyncMarkConflictError, TransactionClosedError, UnknownModelError } from './store-errors';
import {
  assertPageArguments,
  assertSchemaName,
  bySeq,
  cutChangePage,
  quoteIdentifier,
  recordTableName,
} from './store-sql';

export interface PostgresRecordStoreOptions {
  connectionString: string;
  /** PostgreSQL schema holding Offgrid's tables; created if missing. Default `public`. */
  schema?: string;
  /** Pool size; default 10. */
  max?: number;
  /** How often a transaction that hit a serialization failure or deadlock is re-run; default 5. */
  maxRetries?: number;
  /**
   * How long `committedSeq()` waits for transactions that were in flight when it looked before it hands
   * out the previous watermark instead; default 200 ms. Only a transaction held open that long stalls it.
   */
  watermarkWaitMs?: number;
}

interface RecordRow {
  key: string;
  data: Record<string, unknown>;
  version: number;
  deleted: boolean;
  last_changed_at: string;
  seq: string | null;
  field_versions: Record<string, number>;
}

interface SequenceRow {
  last_value: string;
  is_called: boolean;
  floor: string | null;
}


const RECORD_COLUMNS = 'key, data, version, deleted, last_changed_at, seq, field_versions';

/** First half of every advisory lock key Offgrid takes ("offg"), so they do not collide with an app's own. */
const LOCK_NAMESPACE = 0x6f666667;

/** SQLSTATEs after which re-running the whole transaction is safe and likely to succeed. */
const RETRYABLE = new Set(['40001', '40P01']);

function toRecord(model: string, row: RecordRow): ServerRecord {
  return {
    model,
    key: row.key,
    data: row.data,
    version: row.version,
    deleted: row.deleted,
    lastChangedAt: Number(row.last_changed_at),
    // Rows written by a server of an earlier release had no seq until their commit.
    seq: row.seq === null ? 0 : Number(row.seq),
    fieldVersions: row.field_versions,
  };
}

/** 32-bit FNV-1a, as a signed int4 for the two-key form of the advisory lock functions. */
function lockKey(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The `RecordStore` on PostgreSQL, for several server processes sharing one database.
 *
 * No lock serialises commits. Every write takes its seq from the store's sequence as it is written, after
 * its transaction has been given a transaction id (`BEGIN` asks for one). Seqs are then not in commit
 * order, so `committedSeq()` hands out a watermark instead of "the highest seq": it reads the sequence's
 * last value `L` and then the transaction snapshot. A transaction holding a seq `<= L` got its id before
 * it took that seq, so it is either finished in the snapshot or listed in its in-progress ids; once those
 * ids have finished, no seq `<= L` can ever become visible again, and the highest visible seq `<= L` is a
 * cursor that no later commit can precede. Syncs read only up to it, so a transaction that commits late
 * with an earlier seq is never skipped; it only holds the watermark back while it is open.
 *
 * @example
 * const store = new PostgresRecordStore({ connectionString: process.env.DATABASE_URL!, schema: 'offgrid' });
 * await store.migrate(parseSchema(sdl));
 */
export class PostgresRecordStore implements RecordStore {
  readonly kind = 'postgres' as const;
  /** The PostgreSQL schema this store's tables live in. */
  readonly schema: string;
  /** @internal */
  readonly pool: Pool;
  private readonly maxRetries: number;
  private readonly watermarkWaitMs: number;
  private readonly models = new Set<string>();
  /** The highest watermark this process has handed out or seen persisted; watermarks never go back. */
  private watermark = 0;
  /** The highest watermark this process has written to `offgrid_state.last_seq`. */
  private persisted = 0;
  private readonly migrateLock: number;
  /** The lock servers of earlier releases held from taking seqs to committing. */
  private readonly legacySeqLock: number;
  /** `application_name` of this store's write transactions while they run. */
  private readonly writerName: string;
  private readonly sequence: string;
  private readonly stateTable: string;
  private readonly marksTable: string;
  private readonly mutationsTable: string;
  private readonly schemaTable: string;
  private closed = false;

  constructor(options: PostgresRecordStoreOptions) {
    this.schema = options.schema ?? 'public';
    assertSchemaName(this.schema);
    this.maxRetries = options.maxRetries ?? 5;
    this.watermarkWaitMs = options.watermarkWaitMs ?? 200;
    this.pool = new Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.migrateLock = lockKey(`migrate:${this.schema}`);
    this.legacySeqLock = lockKey(`seq:${this.schema}`);
    this.writerName = `offgrid writer ${this.schema}`.slice(0, 63);
    this.sequence = this.qualified('offgrid_seq');
    this.stateTable = this.qualified('offgrid_state');
    this.marksTable = this.qualified('offgrid_sync_marks');
    this.mutationsTable = this.qualified(MUTATION_RESULTS_TABLE);
    this.schemaTable = this.qualified('offgrid_schema');
  }

  /** @internal `"schema"."name"`. */
  qualified(name: string): string {
    return `${quoteIdentifier(this.schema)}.${quoteIdentifier(name)}`;
  }

  async migrate(schema: NormalizedSchema): Promise<void> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      // Several processes may start at once; CREATE ... IF NOT EXISTS alone races on the catalogs.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, this.migrateLock]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.schema)}`);
      await client.query(`CREATE SEQUENCE IF NOT EXISTS ${this.sequence} AS BIGINT`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.stateTable} (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq BIGINT NOT NULL)`,
      );
      await client.query(`INSERT INTO ${this.stateTable} (id, last_seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.marksTable} (started_at BIGINT PRIMARY KEY, seq BIGINT NOT NULL)`);
      for (const sql of mutationResultsDdl(this.mutationsTable, 'BIGINT')) await client.query(sql);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.schemaTable} (id INTEGER PRIMARY KEY CHECK (id = 1), schema TEXT NOT NULL)`,
      );
      for (const model of Object.keys(schema.models)) {
        const table = recordTableName(model);
        const t = this.qualified(table);
        await client.query(`
          CREATE TABLE IF NOT EXISTS ${t} (
            key TEXT PRIMARY KEY,
            data JSONB NOT NULL,
            version INTEGER NOT NULL,
            deleted BOOLEAN NOT NULL DEFAULT FALSE,
            last_changed_at BIGINT NOT NULL,
            seq BIGINT,
            field_versions JSONB NOT NULL
          )`);
        await client.query(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_seq`)} ON ${t} (seq)`);
        await client.query(
          `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_tombstones`)} ON ${t} (last_changed_at) WHERE deleted`,
        );
      }
      await client.query(
        `INSERT INTO ${this.schemaTable} (id, schema) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET schema = EXCLUDED.schema`,
        [JSON.stringify(schema)],
      );
      await client.query('COMMIT');
      for (const model of Object.keys(schema.models)) this.models.add(model);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The schema last passed to `migrate` by any process, if any. */
  async storedSchema(): Promise<NormalizedSchema | undefined> {
    const { rows } = await this.query<{ schema: string }>(`SELECT schema FROM ${this.schemaTable} WHERE id = 1`);
    return rows[0] ? (JSON.parse(rows[0].schema) as NormalizedSchema) : undefined;
  }

  async transaction<T>(fn: (tx: RecordTransaction) => Promise<T>): Promise<{ result: T; written: ServerRecord[] }> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.connect();
      const tx = new PostgresTransaction(this, client);
      let result: T;
      let written: ServerRecord[];
      try {
        // The name and then the transaction id come first: every seq this transaction takes is then
        // covered by an id that committedSeq knows to wait for.
        await client.query(`BEGIN; SET LOCAL application_name = '${this.writerName}'; SELECT pg_current_xact_id()`);
        result = await fn(tx);
        tx.close();
        await tx.settled();
        await tx.flush();
        await client.query('COMMIT');
        written = tx.written();
      } catch (error) {
        tx.close();
        await tx.settled();
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        // A client whose ROLLBACK failed has lost its connection: destroy it rather than reuse it.
        client.release(!rolledBack);
        if (rolledBack && RETRYABLE.has(sqlState(error) ?? '') && attempt < this.maxRetries) {
          await sleep(Math.random() * 10 * 2 ** attempt);
          continue;
        }
        throw error;
      }
      client.release();
      return { result, written };
    }
  }

  async get(model: string, key: string): Promise<ServerRecord | undefined> {
    const table = await this.knownTable(model);
    const { rows } = await this.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${table} WHERE key = $1`, [key]);
    return rows[0] ? toRecord(model, rows[0]) : undefined;
  }

  async getMany(model: string, keys: readonly string[]): Promise<ServerRecord[]> {
    const table = await this.knownTable(model);
    if (keys.length === 0) return [];
    const { rows } = await this.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${table} WHERE key = ANY($1::text[])`, [[...new Set(keys)]]);
    return rows.map((row) => toRecord(model, row));
  }

  async changes(model: string, afterSeq: number, untilSeq: number, limit: number, maxBytes: number): Promise<ChangePage> {
    assertPageArguments(afterSeq, untilSeq, limit, maxBytes);
    const table = await this.knownTable(model);
    const { rows } = await this.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM ${table} WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [afterSeq, untilSeq, limit + 1],
    );
    return cutChangePage(
      rows.map((row) => ({ record: toRecord(model, row), bytes: Buffer.byteLength(JSON.stringify(row.data)) })),
      afterSeq,
      limit,
      maxBytes,
    );
  }

  async countChanges(model: string, afterSeq: number, untilSeq: number): Promise<number> {
    assertPageArguments(afterSeq, untilSeq, 1, 1);
    const table = await this.knownTable(model);
    const { rows } = await this.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE seq > $1 AND seq <= $2`, [afterSeq, untilSeq]);
    return Number(rows[0]!.n);
  }

  /**
   * The watermark: the highest visible seq at or below which no transaction can still commit a change.
   * Waits up to `watermarkWaitMs` for this store's writers that were in flight when it looked; if one is
   * still open, the previous watermark stands (exact, only older).
   */
  async committedSeq(): Promise<number> {
    if (this.closed) throw new Error('PostgresRecordStore is closed.');
    // 1. Read the last seq handed out, `L`, then commit a transaction id of our own: every writer that
    //    holds a seq <= L got its id before ours, and a snapshot taken after our commit has an `xmax`
    //    above ours, so it lists each such writer that is still open among its in-progress ids
    //    (ids at or above a snapshot's `xmax` are open without being listed). The shared lock waits
    //    for a server of an earlier release between taking seqs and committing (it held that lock
    //    exclusively for that stretch), so such servers may run beside this one during an upgrade.
    const [, , sequence] = (await this.pool.query(
      `BEGIN; SET LOCAL synchronous_commit = off;
       SELECT last_value, is_called, (SELECT last_seq FROM ${this.stateTable} WHERE id = 1) AS floor FROM ${this.sequence};
       SELECT pg_advisory_xact_lock_shared(${LOCK_NAMESPACE}, ${this.legacySeqLock}), pg_current_xact_id();
       COMMIT`,
    )) as unknown as [QueryResult, QueryResult, QueryResult<SequenceRow>];
    const seqRow = sequence.rows[0]!;
    const handedOut = seqRow.is_called ? Number(seqRow.last_value) : Number(seqRow.last_value) - 1;
    this.watermark = Math.max(this.watermark, Number(seqRow.floor ?? 0));
    const highest = await this.highestVisibleOnceFinished(handedOut);
    if (highest !== undefined) {
      this.watermark = Math.max(this.watermark, highest);
      if (this.watermark > this.persisted) {
        const value = this.watermark;
        // A lower bound kept for fallbacks and other processes; losing it in a crash loses nothing.
        await this.pool.query(
          `BEGIN; SET LOCAL synchronous_commit = off;
           UPDATE ${this.stateTable} SET last_seq = GREATEST(last_seq, ${Math.trunc(value)}) WHERE id = 1; COMMIT`,
        );
        this.persisted = Math.max(this.persisted, value);
      }
    }
    return this.watermark;
  }

  /**
   * 2. Once the transactions in progress now have finished (waiting up to `watermarkWaitMs`), the highest
   * seq at or below `limit` visible in any model's table (0 when none); undefined if one is still open.
   * Transactions of other applications on the database (named otherwise in `pg_stat_activity`) are not
   * waited for. "Finished" and the maximum come from one snapshot: a transaction that has written its
   * commit record but is not yet visible to new snapshots still counts as open.
   */
  private async highestVisibleOnceFinished(limit: number): Promise<number | undefined> {
    if (this.models.size === 0) await this.loadModels();
    const maxima = [...this.models].map((model) => `(SELECT max(seq) FROM ${this.table(model)} WHERE seq <= $1)`);
    const highest = `GREATEST(0, ${maxima.join(', ') || '0'}) AS highest`;
    const first = await this.query<{ xids: string[]; highest: string | null }>(
      `SELECT ARRAY(
         SELECT x::text FROM pg_snapshot_xip(pg_current_snapshot()) AS x
          WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                             WHERE a.backend_xid = xid(x) AND a.application_name IS DISTINCT FROM $2)) AS xids,
       ${highest}`,
      [Math.max(limit, 0), this.writerName],
    );
    const open = first.rows[0]!.xids;
    if (open.length === 0) return Number(first.rows[0]!.highest ?? 0);
    const poll = `SELECT bool_and(pg_visible_in_snapshot(x::xid8, pg_current_snapshot())) AS done, ${highest}
                    FROM unnest($2::text[]) AS x`;
    const deadline = performance.now() + this.watermarkWaitMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
      if (performance.now() + delay > deadline) return undefined;
      await sleep(delay);
      const { rows } = await this.query<{ done: boolean; highest: string | null }>(poll, [Math.max(limit, 0), open]);
      if (rows[0]!.done) return Number(rows[0]!.highest ?? 0);
    }
  }

  async putSyncMark(startedAt: number, seq: number): Promise<void> {
    const inserted = await this.query(
      `INSERT INTO ${this.marksTable} (started_at, seq) VALUES ($1, $2) ON CONFLICT (started_at) DO NOTHING`,
      [startedAt, seq],
    );
    if (inserted.rowCount === 1) return;
    const existing = await this.getSyncMark(startedAt);
    if (existing !== undefined && existing !== seq) throw new SyncMarkConflictError(startedAt, existing, seq);
  }

  async getSyncMark(startedAt: number): Promise<number | undefined> {
    const { rows } = await this.query<{ seq: string }>(`SELECT seq FROM ${this.marksTable} WHERE started_at = $1`, [startedAt]);
    return rows[0] ? Number(rows[0].seq) : undefined;
  }

  async latestSyncMark(): Promise<number> {
    const { rows } = await this.query<{ latest: string }>(`SELECT COALESCE(MAX(started_at), 0) AS latest FROM ${this.marksTable}`);
    return rows[0] ? Number(rows[0].latest) : 0;
  }

  async purge(before: number): Promise<{ tombstones: number; marks: number; mutations: number }> {
    await this.loadModels();
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      let tombstones = 0;
      for (const model of this.models) {
        const result = await client.query(`DELETE FROM ${this.table(model)} WHERE deleted AND last_changed_at < $1`, [before]);
        tombstones += result.rowCount ?? 0;
      }
      const marks = (await client.query(`DELETE FROM ${this.marksTable} WHERE started_at < $1`, [before])).rowCount ?? 0;
      const mutations = (await client.query(`DELETE FROM ${this.mutationsTable} WHERE created_at < $1`, [before])).rowCount ?? 0;
      await client.query('COMMIT');
      return { tombstones, marks, mutations };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /** @internal `nextval(...)` of the store's sequence, as SQL. */
  get nextSeq(): string {
    return `nextval('${this.sequence.replace(/'/g, "''")}')`;
  }

  /** @internal The qualified table of a model already known to exist. */
  table(model: string): string {
    return this.qualified(recordTableName(model));
  }

  /** @internal The qualified table of a model, checking (once per process) that it exists. */
  async knownTable(model: string): Promise<string> {
    if (!this.models.has(model)) {
      await this.loadModels();
      if (!this.models.has(model)) throw new UnknownModelError(model);
    }
    return this.table(model);
  }

  private async loadModels(): Promise<void> {
    const { rows } = await this.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND left(table_name, 4) = 'rec_'`,
      [this.schema],
    );
    for (const { table_name } of rows) this.models.add(table_name.slice(4));
  }

  private async connect(): Promise<PoolClient> {
    if (this.closed) throw new Error('PostgresRecordStore is closed.');
    return this.pool.connect();
  }

  private async query<R extends QueryResultRow>(sql: string, params: unknown[] = []) {
    if (this.closed) throw new Error('PostgresRecordStore is closed.');
    return this.pool.query<R>(sql, params);
  }
}

class PostgresTransaction implements RecordTransaction {
  /** The last state written of each record, with its seq. */
  private readonly writes = new Map<string, ServerRecord>();
  /** Records read ahead and locked by `prefetch`, and the writes to them held until commit. */
  private readonly ahead = new PrefetchedRecords();
  /** Mutation results read ahead by `prefetchMutations`, and new ones held until commit. */
  private readonly resultsAhead = new PrefetchedMutations();
  private closed = false;
  /** Queries run one at a time, in call order, even when the callback does not await each one. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: PostgresRecordStore,
    private readonly client: PoolClient,
  ) {}

  async prefetch(model: string, keys: readonly string[]): Promise<void> {
    this.assertOpen();
    const table = await this.store.knownTable(model);
    const unknown = this.ahead.unknown(model, keys);
    if (unknown.length === 0) return;
    // Locked in key order, so two batches over the same records do not deadlock each other.
    const { rows } = await this.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM ${table} WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
      [unknown],
    );
    this.ahead.load(
      model,
      unknown,
      rows.map((row) => toRecord(model, row)),
    );
  }

  async get(model: string, key: string): Promise<ServerRecord | undefined> {
    this.assertOpen();
    const table = await this.store.knownTable(model);
    if (this.ahead.has(model, key)) return this.ahead.get(model, key);
    const { rows } = await this.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${table} WHERE key = $1 FOR UPDATE`, [key]);
    return rows[0] ? toRecord(model, rows[0]) : undefined;
  }

  async insert(record: RecordWrite): Promise<boolean> {
    this.assertOpen();
    const table = await this.store.knownTable(record.model);
    const held = this.ahead.insert(record);
    if (held !== undefined) return held;
    const data = JSON.stringify(record.data);
    const result = await this.query<{ seq: string }>(
      `INSERT INTO ${table} (${RECORD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, ${this.store.nextSeq}, $6)
       ON CONFLICT (key) DO NOTHING RETURNING seq`,
      [record.key, data, record.version, record.deleted, record.lastChangedAt, JSON.stringify(record.fieldVersions)],
    );
    if (result.rowCount !== 1) return false;
    this.wrote(record, data, Number(result.rows[0]!.seq));
    return true;
  }

  async update(record: RecordWrite, expectedVersion: number): Promise<boolean> {
    this.assertOpen();
    const table = await this.store.knownTable(record.model);
    const held = this.ahead.update(record, expectedVersion);
    if (held !== undefined) return held;
    const data = JSON.stringify(record.data);
    const result = await this.query<{ seq: string }>(
      `UPDATE ${table}
          SET data = $3, version = $4, deleted = $5, last_changed_at = $6, field_versions = $7, seq = ${this.store.nextSeq}
        WHERE key = $1 AND version = $2 RETURNING seq`,
      [record.key, expectedVersion, data, record.version, record.deleted, record.lastChangedAt, JSON.stringify(record.fieldVersions)],
    );
    if (result.rowCount !== 1) return false;
    this.wrote(record, data, Number(result.rows[0]!.seq));
    return true;
  }

  async prefetchMutations(identityKey: string, mutationIds: readonly string[]): Promise<void> {
    this.assertOpen();
    const unknown = this.resultsAhead.unknown(identityKey, mutationIds);
    if (unknown.length === 0) return;
    const { rows } = await this.query<{ mutation_id: string; payload_hash: string; result: string }>(
      `SELECT mutation_id, payload_hash, result FROM ${this.store.qualified(MUTATION_RESULTS_TABLE)}
        WHERE identity_key = $1 AND mutation_id = ANY($2::text[])`,
      [identityKey, unknown],
    );
    this.resultsAhead.load(
      identityKey,
      unknown,
      rows.map((row) => ({ identityKey, mutationId: row.mutation_id, payloadHash: row.payload_hash, result: JSON.parse(row.result) as unknown })),
    );
  }

  async getMutation(identityKey: string, mutationId: string): Promise<StoredMutationResult | undefined> {
    this.assertOpen();
    if (this.resultsAhead.has(identityKey, mutationId)) return this.resultsAhead.get(identityKey, mutationId);
    const { rows } = await this.query<{ payload_hash: string; result: string }>(
      `SELECT payload_hash, result FROM ${this.store.qualified(MUTATION_RESULTS_TABLE)} WHERE identity_key = $1 AND mutation_id = $2`,
      [identityKey, mutationId],
    );
    return rows[0] ? { identityKey, mutationId, payloadHash: rows[0].payload_hash, result: JSON.parse(rows[0].result) as unknown } : undefined;
  }

  async putMutation(result: StoredMutationResult): Promise<boolean> {
    this.assertOpen();
    const held = this.resultsAhead.put(result);
    if (held !== undefined) return held;
    // A concurrent transaction inserting the same key makes this wait for its commit, then insert nothing.
    const inserted = await this.query(
      `INSERT INTO ${this.store.qualified(MUTATION_RESULTS_TABLE)} (identity_key, mutation_id, payload_hash, result, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (identity_key, mutation_id) DO NOTHING`,
      [result.identityKey, result.mutationId, result.payloadHash, JSON.stringify(result.result ?? null), Date.now()],
    );
    return inserted.rowCount === 1;
  }

  close(): void {
    this.closed = true;
  }

  /** Sends the writes held for prefetched records (before COMMIT). */
  async flush(): Promise<void> {
    const flushed = await this.ahead.flush(
      (sql, params) => this.query(sql, params),
      (model) => this.store.table(model),
      this.store.nextSeq,
    );
    for (const record of flushed) this.writes.set(`${record.model}\u0000${record.key}`, record);
    await this.resultsAhead.flush((sql, params) => this.query(sql, params), this.store.qualified(MUTATION_RESULTS_TABLE));
  }

  /** Resolves when every query issued so far has finished. */
  async settled(): Promise<void> {
    await this.chain;
  }

  private query<R extends QueryResultRow>(sql: string, params: unknown[]) {
    const result = this.chain.then(() => this.client.query<R>(sql, params));
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** The records written, each in its last state, in seq order. */
  written(): ServerRecord[] {
    return [...this.writes.values()].sort(bySeq);
  }

  private wrote(record: RecordWrite, data: string, seq: number): void {
    const id = `${record.model}\u0000${record.key}`;
    this.writes.set(id, {
      model: record.model,
      key: record.key,
      data: JSON.parse(data) as Record<string, unknown>,
      version: record.version,
      deleted: record.deleted,
      lastChangedAt: record.lastChangedAt,
      seq,
      fieldVersions: { ...record.fieldVersions },
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new TransactionClosedError();
  }
}
