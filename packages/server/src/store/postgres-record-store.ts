import { Pool } from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
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
    // A row this transaction wrote has no seq until commit; it reads as 0 inside the transaction.
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
 * Exact delta sync despite out-of-order commits: rows are written with `seq = NULL` (invisible to
 * `changes`); when the callback returns, the transaction takes one advisory lock, stamps every row it
 * touched with `nextval` of the store's sequence, raises `offgrid_state.last_seq` and commits. The lock
 * is released only after the commit is visible, so seqs are handed out in commit order and
 * `committedSeq()` (= `last_seq`) never runs ahead of a commit that is still pending.
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
  private readonly models = new Set<string>();
  private readonly seqLock: number;
  private readonly migrateLock: number;
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
    this.pool = new Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.seqLock = lockKey(`seq:${this.schema}`);
    this.migrateLock = lockKey(`migrate:${this.schema}`);
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
        await client.query('BEGIN');
        result = await fn(tx);
        tx.close();
        await tx.settled();
        written = await this.stampAndCommit(client, tx.touched);
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

  /**
   * Gives every touched row its seq in commit order and commits.
   * The advisory lock is a transaction lock: PostgreSQL drops it after the commit is visible to others.
   */
  private async stampAndCommit(client: PoolClient, touched: Map<string, Set<string>>): Promise<ServerRecord[]> {
    const written: ServerRecord[] = [];
    if (touched.size > 0) {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, this.seqLock]);
      let highest = 0;
      for (const [model, keys] of touched) {
        const { rows } = await client.query<RecordRow>(
          `UPDATE ${this.table(model)} SET seq = nextval('${this.sequence.replace(/'/g, "''")}')
            WHERE key = ANY($1::text[]) RETURNING ${RECORD_COLUMNS}`,
          [[...keys]],
        );
        for (const row of rows) {
          const record = toRecord(model, row);
          written.push(record);
          if (record.seq > highest) highest = record.seq;
        }
      }
      if (highest > 0) {
        await client.query(`UPDATE ${this.stateTable} SET last_seq = GREATEST(last_seq, $1) WHERE id = 1`, [highest]);
      }
    }
    await client.query('COMMIT');
    return written.sort(bySeq);
  }

  async get(model: string, key: string): Promise<ServerRecord | undefined> {
    const table = await this.knownTable(model);
    const { rows } = await this.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${table} WHERE key = $1`, [key]);
    return rows[0] ? toRecord(model, rows[0]) : undefined;
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

  async committedSeq(): Promise<number> {
    const { rows } = await this.query<{ last_seq: string }>(`SELECT last_seq FROM ${this.stateTable} WHERE id = 1`);
    return rows[0] ? Number(rows[0].last_seq) : 0;
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
  /** Rows written, per model, in first-write order; stamped with seqs at commit. */
  readonly touched = new Map<string, Set<string>>();
  private closed = false;
  /** Queries run one at a time, in call order, even when the callback does not await each one. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: PostgresRecordStore,
    private readonly client: PoolClient,
  ) {}

  async get(model: string, key: string): Promise<ServerRecord | undefined> {
    this.assertOpen();
    const table = await this.store.knownTable(model);
    const { rows } = await this.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${table} WHERE key = $1 FOR UPDATE`, [key]);
    return rows[0] ? toRecord(model, rows[0]) : undefined;
  }

  async insert(record: RecordWrite): Promise<boolean> {
    this.assertOpen();
    const table = await this.store.knownTable(record.model);
    const result = await this.query(
      `INSERT INTO ${table} (${RECORD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, NULL, $6) ON CONFLICT (key) DO NOTHING`,
      [
        record.key,
        JSON.stringify(record.data),
        record.version,
        record.deleted,
        record.lastChangedAt,
        JSON.stringify(record.fieldVersions),
      ],
    );
    if (result.rowCount !== 1) return false;
    this.touch(record);
    return true;
  }

  async update(record: RecordWrite, expectedVersion: number): Promise<boolean> {
    this.assertOpen();
    const table = await this.store.knownTable(record.model);
    const result = await this.query(
      `UPDATE ${table}
          SET data = $3, version = $4, deleted = $5, last_changed_at = $6, field_versions = $7, seq = NULL
        WHERE key = $1 AND version = $2`,
      [
        record.key,
        expectedVersion,
        JSON.stringify(record.data),
        record.version,
        record.deleted,
        record.lastChangedAt,
        JSON.stringify(record.fieldVersions),
      ],
    );
    if (result.rowCount !== 1) return false;
    this.touch(record);
    return true;
  }

  async getMutation(identityKey: string, mutationId: string): Promise<StoredMutationResult | undefined> {
    this.assertOpen();
    const { rows } = await this.query<{ payload_hash: string; result: string }>(
      `SELECT payload_hash, result FROM ${this.store.qualified(MUTATION_RESULTS_TABLE)} WHERE identity_key = $1 AND mutation_id = $2`,
      [identityKey, mutationId],
    );
    return rows[0] ? { identityKey, mutationId, payloadHash: rows[0].payload_hash, result: JSON.parse(rows[0].result) as unknown } : undefined;
  }

  async putMutation(result: StoredMutationResult): Promise<boolean> {
    this.assertOpen();
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

  private touch(record: RecordWrite): void {
    let keys = this.touched.get(record.model);
    if (!keys) {
      keys = new Set();
      this.touched.set(record.model, keys);
    }
    keys.add(record.key);
  }

  private assertOpen(): void {
    if (this.closed) throw new TransactionClosedError();
  }
}
