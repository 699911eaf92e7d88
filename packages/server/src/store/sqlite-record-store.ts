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
import { openSqliteDatabase, type SqliteBinding, type SqliteDatabase, type SqliteDatabaseStatement } from './sqlite-database';
import { SyncMarkConflictError, TransactionClosedError, UnknownModelError } from './store-errors';
import {
  RECORD_TABLE_PREFIX,
  assertPageArguments,
  bySeq,
  cutChangePage,
  quoteIdentifier,
  recordTableName,
} from './store-sql';

export interface SqliteRecordStoreOptions {
  /** Database file, or `:memory:` for a private in-memory database (tests). */
  filename: string;
  /** How long a statement waits for a lock held by another process before failing; default 5000 ms. */
  busyTimeoutMs?: number;
  /** The SQLite binding: by default node:sqlite where Node has it (22.13+), else better-sqlite3. */
  driver?: SqliteBinding;
}

type Db = SqliteDatabase;
type Statement = SqliteDatabaseStatement;

interface RecordRow {
  key: string;
  data: string;
  version: number;
  deleted: number;
  last_changed_at: number;
  seq: number;
  field_versions: string;
}

const RECORD_COLUMNS = 'key, data, version, deleted, last_changed_at, seq, field_versions';

function toRecord(model: string, row: RecordRow): ServerRecord {
  return {
    model,
    key: row.key,
    data: JSON.parse(row.data) as Record<string, unknown>,
    version: row.version,
    deleted: row.deleted !== 0,
    lastChangedAt: row.last_changed_at,
    seq: row.seq,
    fieldVersions: JSON.parse(row.field_versions) as Record<string, number>,
  };
}

function isMemory(filename: string): boolean {
  return filename === ':memory:' || filename === '';
}

/**
 * The embedded `RecordStore` on SQLite (node:sqlite or better-sqlite3, WAL).
 *
 * SQLite has one writer, so transactions run one at a time (an async queue, because the callback is
 * async while both SQLite bindings are synchronous) inside `BEGIN IMMEDIATE`, and seqs come from
 * `offgrid_state.last_seq` incremented inside the transaction: commit order is seq order by construction.
 * Reads outside transactions use a second connection (file databases), so a sync never sees the
 * uncommitted writes of a transaction whose callback is still awaiting; `:memory:` databases cannot
 * share a second connection, so there reads wait in the queue instead.
 *
 * @example
 * const store = new SqliteRecordStore({ filename: 'offgrid.db' });
 * await store.migrate(parseSchema(sdl));
 * const { written } = await store.transaction(async (tx) => tx.insert(record));
 */
export class SqliteRecordStore implements RecordStore {
  readonly kind = 'sqlite' as const;
  private readonly writer: Db;
  private readonly reader: Db | undefined;
  private readonly statements = new WeakMap<Db, Map<string, Statement>>();
  private readonly models = new Set<string>();
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: SqliteRecordStoreOptions) {
    const busyTimeout = options.busyTimeoutMs ?? 5000;
    this.writer = openSqliteDatabase(options.filename, options.driver);
    this.writer.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeout)}`);
    this.writer.exec('PRAGMA journal_mode = WAL');
    this.writer.exec('PRAGMA synchronous = NORMAL');
    this.writer.exec(`
      CREATE TABLE IF NOT EXISTS offgrid_state (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL);
      INSERT OR IGNORE INTO offgrid_state (id, last_seq) VALUES (1, 0);
      CREATE TABLE IF NOT EXISTS offgrid_sync_marks (started_at INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS offgrid_schema (id INTEGER PRIMARY KEY CHECK (id = 1), schema TEXT NOT NULL);
    `);
    for (const sql of mutationResultsDdl(quoteIdentifier(MUTATION_RESULTS_TABLE), 'INTEGER')) this.writer.exec(sql);
    if (!isMemory(options.filename)) {
      this.reader = openSqliteDatabase(options.filename, this.writer.binding);
      this.reader.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeout)}`);
      this.reader.exec('PRAGMA query_only = ON');
    }
    this.loadModels();
  }

  async migrate(schema: NormalizedSchema): Promise<void> {
    await this.exclusive(() => {
      const db = this.writer;
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const model of Object.keys(schema.models)) {
          const table = recordTableName(model);
          const t = quoteIdentifier(table);
          db.exec(`
            CREATE TABLE IF NOT EXISTS ${t} (
              key TEXT PRIMARY KEY,
              data TEXT NOT NULL,
              version INTEGER NOT NULL,
              deleted INTEGER NOT NULL DEFAULT 0,
              last_changed_at INTEGER NOT NULL,
              seq INTEGER NOT NULL,
              field_versions TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_seq`)} ON ${t} (seq);
            CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_tombstones`)} ON ${t} (last_changed_at) WHERE deleted = 1;
          `);
        }
        this.statement(db, 'INSERT INTO offgrid_schema (id, schema) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET schema = excluded.schema').run(
          JSON.stringify(schema),
        );
        db.exec('COMMIT');
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
      for (const model of Object.keys(schema.models)) this.models.add(model);
    });
  }

  /** The schema last passed to `migrate`, if any. */
  async storedSchema(): Promise<NormalizedSchema | undefined> {
    return this.read((db) => {
      const row = this.statement(db, 'SELECT schema FROM offgrid_schema WHERE id = 1').get() as { schema: string } | undefined;
      return row ? (JSON.parse(row.schema) as NormalizedSchema) : undefined;
    });
  }

  transaction<T>(fn: (tx: RecordTransaction) => Promise<T>): Promise<{ result: T; written: ServerRecord[] }> {
    return this.exclusive(async () => {
      const db = this.writer;
      db.exec('BEGIN IMMEDIATE');
      const startSeq = (this.statement(db, 'SELECT last_seq FROM offgrid_state WHERE id = 1').get() as { last_seq: number }).last_seq;
      const tx = new SqliteTransaction(this, db, startSeq);
      try {
        const result = await fn(tx);
        tx.close();
        if (tx.seq !== startSeq) this.statement(db, 'UPDATE offgrid_state SET last_seq = ? WHERE id = 1').run(tx.seq);
        db.exec('COMMIT');
        return { result, written: tx.written() };
      } catch (error) {
        tx.close();
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async get(model: string, key: string): Promise<ServerRecord | undefined> {
    const table = this.table(model);
    return this.read((db) => {
      const row = this.statement(db, `SELECT ${RECORD_COLUMNS} FROM ${table} WHERE key = ?`).get(key) as RecordRow | undefined;
      return row ? toRecord(model, row) : undefined;
    });
  }

  async getMany(model: string, keys: readonly string[]): Promise<ServerRecord[]> {
    const table = this.table(model);
    return this.read((db) => {
      const select = this.statement(db, `SELECT ${RECORD_COLUMNS} FROM ${table} WHERE key = ?`);
      return [...new Set(keys)].flatMap((key) => {
        const row = select.get(key) as RecordRow | undefined;
        return row ? [toRecord(model, row)] : [];
      });
    });
  }

  async changes(model: string, afterSeq: number, untilSeq: number, limit: number, maxBytes: number): Promise<ChangePage> {
    assertPageArguments(afterSeq, untilSeq, limit, maxBytes);
    const table = this.table(model);
    return this.read((db) => {
      const rows = this.statement(
        db,
        `SELECT ${RECORD_COLUMNS} FROM ${table} WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      ).all(afterSeq, untilSeq, limit + 1) as RecordRow[];
      return cutChangePage(
        rows.map((row) => ({ record: toRecord(model, row), bytes: Buffer.byteLength(row.data) })),
        afterSeq,
        limit,
        maxBytes,
      );
    });
  }

  async countChanges(model: string, afterSeq: number, untilSeq: number): Promise<number> {
    assertPageArguments(afterSeq, untilSeq, 1, 1);
    const table = this.table(model);
    return this.read(
      (db) => (this.statement(db, `SELECT COUNT(*) AS n FROM ${table} WHERE seq > ? AND seq <= ?`).get(afterSeq, untilSeq) as { n: number }).n,
    );
  }

  async committedSeq(): Promise<number> {
    return this.read(
      (db) => (this.statement(db, 'SELECT last_seq FROM offgrid_state WHERE id = 1').get() as { last_seq: number }).last_seq,
    );
  }

  async putSyncMark(startedAt: number, seq: number): Promise<void> {
    await this.exclusive(() => {
      const db = this.writer;
      const info = this.statement(db, 'INSERT OR IGNORE INTO offgrid_sync_marks (started_at, seq) VALUES (?, ?)').run(startedAt, seq);
      if (info.changes > 0) return;
      const existing = this.statement(db, 'SELECT seq FROM offgrid_sync_marks WHERE started_at = ?').get(startedAt) as
        | { seq: number }
        | undefined;
      if (existing && existing.seq !== seq) throw new SyncMarkConflictError(startedAt, existing.seq, seq);
    });
  }

  async getSyncMark(startedAt: number): Promise<number | undefined> {
    return this.read((db) => {
      const row = this.statement(db, 'SELECT seq FROM offgrid_sync_marks WHERE started_at = ?').get(startedAt) as
        | { seq: number }
        | undefined;
      return row?.seq;
    });
  }

  async latestSyncMark(): Promise<number> {
    return this.read(
      (db) =>
        (this.statement(db, 'SELECT COALESCE(MAX(started_at), 0) AS latest FROM offgrid_sync_marks').get() as { latest: number }).latest,
    );
  }

  async purge(before: number): Promise<{ tombstones: number; marks: number; mutations: number }> {
    return this.exclusive(() => {
      const db = this.writer;
      this.loadModels();
      db.exec('BEGIN IMMEDIATE');
      try {
        let tombstones = 0;
        for (const model of this.models) {
          const table = quoteIdentifier(recordTableName(model));
          tombstones += Number(this.statement(db, `DELETE FROM ${table} WHERE deleted = 1 AND last_changed_at < ?`).run(before).changes);
        }
        const marks = Number(this.statement(db, 'DELETE FROM offgrid_sync_marks WHERE started_at < ?').run(before).changes);
        const mutations = Number(this.statement(db, 'DELETE FROM offgrid_mutation_results WHERE created_at < ?').run(before).changes);
        db.exec('COMMIT');
        return { tombstones, marks, mutations };
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    this.reader?.close();
    this.writer.close();
  }

  /** @internal The quoted table of a model, refreshing the table list once when the model is not known yet. */
  table(model: string): string {
    if (!this.models.has(model)) {
      this.loadModels();
      if (!this.models.has(model)) throw new UnknownModelError(model);
    }
    return quoteIdentifier(recordTableName(model));
  }

  /** @internal A cached prepared statement of one connection. */
  statement(db: Db, sql: string): Statement {
    let cache = this.statements.get(db);
    if (!cache) {
      cache = new Map();
      this.statements.set(db, cache);
    }
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }

  private loadModels(): void {
    const rows = this.writer
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, length(?)) = ?")
      .all(RECORD_TABLE_PREFIX, RECORD_TABLE_PREFIX) as Array<{ name: string }>;
    for (const { name } of rows) this.models.add(name.slice(RECORD_TABLE_PREFIX.length));
  }

  /** Runs `fn` alone on the writer connection: after every queued transaction, before any later one. */
  private exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SqliteRecordStore is closed.'));
    const run = this.tail.then(fn);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** A read of committed data only. */
  private read<T>(fn: (db: Db) => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SqliteRecordStore is closed.'));
    const reader = this.reader;
    if (reader) {
      try {
        return Promise.resolve(fn(reader));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.exclusive(() => fn(this.writer));
  }
}

class SqliteTransaction implements RecordTransaction {
  private closed = false;
  private readonly writes = new Map<string, ServerRecord>();

  constructor(
    private readonly store: SqliteRecordStore,
    private readonly db: Db,
    /** The last seq handed out; the next write takes `seq + 1`. */
    public seq: number,
  ) {}

  async prefetch(model: string): Promise<void> {
    this.assertOpen();
    this.store.table(model);
  }

  async get(model: string, key: string): Promise<ServerRecord | undefined> {
    this.assertOpen();
    const row = this.store.statement(this.db, `SELECT ${RECORD_COLUMNS} FROM ${this.store.table(model)} WHERE key = ?`).get(key) as
      | RecordRow
      | undefined;
    return row ? toRecord(model, row) : undefined;
  }

  async insert(record: RecordWrite): Promise<boolean> {
    this.assertOpen();
    const seq = this.seq + 1;
    const info = this.store
      .statement(
        this.db,
        `INSERT INTO ${this.store.table(record.model)} (${RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      )
      .run(
        record.key,
        JSON.stringify(record.data),
        record.version,
        record.deleted ? 1 : 0,
        record.lastChangedAt,
        seq,
        JSON.stringify(record.fieldVersions),
      );
    if (info.changes === 0) return false;
    this.wrote(record, seq);
    return true;
  }

  async update(record: RecordWrite, expectedVersion: number): Promise<boolean> {
    this.assertOpen();
    const seq = this.seq + 1;
    const info = this.store
      .statement(
        this.db,
        `UPDATE ${this.store.table(record.model)}
            SET data = ?, version = ?, deleted = ?, last_changed_at = ?, seq = ?, field_versions = ?
          WHERE key = ? AND version = ?`,
      )
      .run(
        JSON.stringify(record.data),
        record.version,
        record.deleted ? 1 : 0,
        record.lastChangedAt,
        seq,
        JSON.stringify(record.fieldVersions),
        record.key,
        expectedVersion,
      );
    if (info.changes === 0) return false;
    this.wrote(record, seq);
    return true;
  }

  async prefetchMutations(): Promise<void> {
    this.assertOpen();
  }

  async getMutation(identityKey: string, mutationId: string): Promise<StoredMutationResult | undefined> {
    this.assertOpen();
    const row = this.store
      .statement(this.db, 'SELECT payload_hash, result FROM offgrid_mutation_results WHERE identity_key = ? AND mutation_id = ?')
      .get(identityKey, mutationId) as { payload_hash: string; result: string } | undefined;
    return row ? { identityKey, mutationId, payloadHash: row.payload_hash, result: JSON.parse(row.result) as unknown } : undefined;
  }

  async putMutation(result: StoredMutationResult): Promise<boolean> {
    this.assertOpen();
    const info = this.store
      .statement(
        this.db,
        'INSERT OR IGNORE INTO offgrid_mutation_results (identity_key, mutation_id, payload_hash, result, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(result.identityKey, result.mutationId, result.payloadHash, JSON.stringify(result.result ?? null), Date.now());
    return info.changes === 1;
  }

  close(): void {
    this.closed = true;
  }

  written(): ServerRecord[] {
    return [...this.writes.values()].sort(bySeq);
  }

  private wrote(record: RecordWrite, seq: number): void {
    this.seq = seq;
    const copy: ServerRecord = {
      model: record.model,
      key: record.key,
      data: JSON.parse(JSON.stringify(record.data)) as Record<string, unknown>,
      version: record.version,
      deleted: record.deleted,
      lastChangedAt: record.lastChangedAt,
      seq,
      fieldVersions: { ...record.fieldVersions },
    };
    const id = `${record.model}\u0000${record.key}`;
    this.writes.delete(id);
    this.writes.set(id, copy);
  }

  private assertOpen(): void {
    if (this.closed) throw new TransactionClosedError();
  }
}
