import {
  type NewOutboxEntry,
  OffgridError,
  type OutboxEntry,
  type StorageQuery,
  type StorageReader,
  type StorageWriter,
  StorageError,
  type StoredRecord,
  StoreStateError,
  evaluatePredicate,
  recordComparator,
} from '@offgrid/core';
import { applyTableLayout } from './apply-table-layout';
import { compileQuery } from './compile-query';
import type { SqliteConnection } from './sqlite-connection';
import type { SqliteValue } from './sqlite-driver';
import type { TableCatalog } from './table-catalog';
import { META_TABLE, OUTBOX_TABLE, decodeRow, encodeRecord, rowKey } from './table-layout';

const OUTBOX_ALL = `SELECT seq, doc FROM "${OUTBOX_TABLE}" ORDER BY seq`;
const OUTBOX_FOR = `SELECT seq, doc FROM "${OUTBOX_TABLE}" WHERE model = ? AND key = ? ORDER BY seq`;
const OUTBOX_INSERT = `INSERT INTO "${OUTBOX_TABLE}" (model, key, doc) VALUES (?, ?, ?)`;
const OUTBOX_UPSERT =
  `INSERT INTO "${OUTBOX_TABLE}" (seq, model, key, doc) VALUES (?, ?, ?, ?) ` +
  'ON CONFLICT(seq) DO UPDATE SET model = excluded.model, key = excluded.key, doc = excluded.doc';
const OUTBOX_DELETE = `DELETE FROM "${OUTBOX_TABLE}" WHERE seq = ?`;
const META_GET = `SELECT value FROM "${META_TABLE}" WHERE name = ?`;
const META_SET = `INSERT INTO "${META_TABLE}" (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value`;
const META_DELETE = `DELETE FROM "${META_TABLE}" WHERE name = ?`;

/** Whether a transaction may still be used; shared by its reader/writer object and the adapter. */
export interface TransactionState {
  active: boolean;
}

function wrapError(error: unknown, what: string): unknown {
  if (error instanceof OffgridError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError('sqlite', `${what} failed: ${message}`, { cause: error });
}

function decodeOutbox(row: Record<string, SqliteValue>): OutboxEntry {
  return { ...(JSON.parse(row.doc as string) as Omit<OutboxEntry, 'seq'>), seq: Number(row.seq) };
}

/**
 * The reads of one transaction, on the connection that holds it: the read connection's snapshot, or
 * the writer's own connection inside a write (where it sees the transaction's own changes).
 *
 * @example
 * await adapter.read(async (tx) => tx.query('Todo', { limit: 10 }))
 */
export class SqliteReader implements StorageReader {
  constructor(
    protected readonly conn: SqliteConnection,
    protected readonly catalog: TableCatalog,
    protected readonly state: TransactionState,
  ) {}

  protected check(): void {
    if (!this.state.active) {
      throw new StoreStateError('A SQLite storage transaction was used after it ended; only await its calls inside read()/write().');
    }
  }

  /** False for a table dropped by reset() and not yet recreated: reads then see an empty model. */
  protected tableExists(model: string): boolean {
    return !this.catalog.missing.has(model);
  }

  async get(model: string, key: string): Promise<StoredRecord | undefined> {
    this.check();
    const layout = this.catalog.layout(model);
    if (!this.tableExists(model)) return undefined;
    try {
      const row = await this.conn.get(layout.getSql, [key]);
      return row === undefined ? undefined : decodeRow(layout, row);
    } catch (error) {
      throw wrapError(error, `get ${model} ${key}`);
    }
  }

  async getMany(model: string, keys: readonly string[]): Promise<Array<StoredRecord | undefined>> {
    this.check();
    const layout = this.catalog.layout(model);
    if (!this.tableExists(model) || keys.length === 0) return keys.map(() => undefined);
    try {
      // One statement for any number of keys: the keys travel as one JSON array parameter.
      const rows = await this.conn.all(layout.getManySql, [JSON.stringify(keys)]);
      const byKey = new Map(rows.map((row) => [rowKey(row), row]));
      return keys.map((k) => {
        const row = byKey.get(k);
        return row === undefined ? undefined : decodeRow(layout, row);
      });
    } catch (error) {
      throw wrapError(error, `get ${keys.length} ${model} records`);
    }
  }

  async query(model: string, query: StorageQuery): Promise<StoredRecord[]> {
    this.check();
    const layout = this.catalog.layout(model);
    if (!this.tableExists(model)) return [];
    const plan = compileQuery(layout, query);
    let rows: Record<string, SqliteValue>[];
    try {
      rows = await this.conn.all(plan.sql, plan.params);
    } catch (error) {
      throw wrapError(error, `query ${model}`);
    }
    const { residual } = plan;
    if (!residual) return rows.map((row) => decodeRow(layout, row));
    // Rare path: some predicate or sort has no exact SQL form; the oracle finishes the job.
    const keys = new Map<StoredRecord, string>();
    let records: StoredRecord[] = [];
    for (const row of rows) {
      const record = decodeRow(layout, row);
      if (residual.predicate && !evaluatePredicate(residual.predicate, record)) continue;
      keys.set(record, rowKey(row));
      records.push(record);
    }
    if (residual.sort) records.sort(recordComparator(residual.sort, (r) => keys.get(r)!));
    records = records.slice(
      residual.offset,
      residual.limit === undefined ? undefined : residual.offset + residual.limit,
    );
    return records;
  }

  async count(model: string): Promise<number> {
    this.check();
    const layout = this.catalog.layout(model);
    if (!this.tableExists(model)) return 0;
    try {
      return Number((await this.conn.get(layout.countSql))?.n ?? 0);
    } catch (error) {
      throw wrapError(error, `count ${model}`);
    }
  }

  async outbox(): Promise<OutboxEntry[]> {
    this.check();
    try {
      return (await this.conn.all(OUTBOX_ALL)).map(decodeOutbox);
    } catch (error) {
      throw wrapError(error, 'read outbox');
    }
  }

  async outboxFor(model: string, key: string): Promise<OutboxEntry[]> {
    this.check();
    try {
      return (await this.conn.all(OUTBOX_FOR, [model, key])).map(decodeOutbox);
    } catch (error) {
      throw wrapError(error, `read outbox of ${model} ${key}`);
    }
  }

  async getMeta<T = unknown>(name: string): Promise<T | undefined> {
    this.check();
    try {
      const row = await this.conn.get(META_GET, [name]);
      return row === undefined ? undefined : (JSON.parse(row.value as string) as T);
    } catch (error) {
      throw wrapError(error, `read meta ${name}`);
    }
  }
}

/**
 * The writes of one `BEGIN IMMEDIATE` transaction on the writer connection; the adapter commits or rolls
 * back around it.
 *
 * @example
 * await adapter.write(async (tx) => {
 *   await tx.put('Todo', 'a1', { id: 'a1', title: 'Milk' })
 *   await tx.putOutbox(entry)
 * })
 */
export class SqliteWriter extends SqliteReader implements StorageWriter {
  /** Tables this transaction recreated after a reset; the catalog learns of them at commit. */
  readonly created = new Set<string>();

  protected override tableExists(model: string): boolean {
    return super.tableExists(model) || this.created.has(model);
  }

  private async ensureTable(model: string): Promise<void> {
    if (this.tableExists(model)) return;
    await applyTableLayout(this.conn, this.catalog.layout(model));
    this.created.add(model);
  }

  async put(model: string, key: string, record: StoredRecord): Promise<void> {
    this.check();
    const layout = this.catalog.layout(model);
    try {
      const params = encodeRecord(layout, key, record);
      await this.ensureTable(model);
      await this.conn.run(layout.upsertSql, params);
    } catch (error) {
      throw wrapError(error, `put ${model} ${key}`);
    }
  }

  async putMany(model: string, records: ReadonlyArray<readonly [string, StoredRecord]>): Promise<void> {
    this.check();
    if (records.length === 0) return;
    const layout = this.catalog.layout(model);
    try {
      const params = records.map(([key, record]) => encodeRecord(layout, key, record));
      await this.ensureTable(model);
      await this.conn.runMany(layout.upsertSql, params);
    } catch (error) {
      throw wrapError(error, `put ${records.length} ${model} records`);
    }
  }

  async delete(model: string, key: string): Promise<void> {
    this.check();
    const layout = this.catalog.layout(model);
    if (!this.tableExists(model)) return;
    try {
      await this.conn.run(layout.deleteSql, [key]);
    } catch (error) {
      throw wrapError(error, `delete ${model} ${key}`);
    }
  }

  async deleteAll(model: string): Promise<void> {
    this.check();
    const layout = this.catalog.layout(model);
    if (!this.tableExists(model)) return;
    try {
      await this.conn.run(layout.deleteAllSql);
    } catch (error) {
      throw wrapError(error, `delete all ${model}`);
    }
  }

  async putOutbox(entry: NewOutboxEntry): Promise<number> {
    this.check();
    try {
      const { seq, ...rest } = entry;
      const doc = JSON.stringify(rest);
      if (seq !== undefined) {
        await this.conn.run(OUTBOX_UPSERT, [seq, entry.model, entry.key, doc]);
        return seq;
      }
      return Number((await this.conn.run(OUTBOX_INSERT, [entry.model, entry.key, doc])).lastInsertRowid);
    } catch (error) {
      throw wrapError(error, `put outbox entry for ${entry.model} ${entry.key}`);
    }
  }

  async putOutboxMany(entries: readonly NewOutboxEntry[]): Promise<number[]> {
    this.check();
    try {
      const params = entries.map(({ seq, ...rest }) => {
        void seq;
        return [rest.model, rest.key, JSON.stringify(rest)];
      });
      return (await this.conn.runMany(OUTBOX_INSERT, params)).map((r) => Number(r.lastInsertRowid));
    } catch (error) {
      throw wrapError(error, `put ${entries.length} outbox entries`);
    }
  }

  async deleteOutbox(seq: number): Promise<void> {
    this.check();
    try {
      await this.conn.run(OUTBOX_DELETE, [seq]);
    } catch (error) {
      throw wrapError(error, `delete outbox entry ${seq}`);
    }
  }

  async setMeta(name: string, value: unknown): Promise<void> {
    this.check();
    try {
      // JSON has no undefined: storing it means "no value", which is what getMeta returns for a deleted name.
      if (value === undefined) await this.conn.run(META_DELETE, [name]);
      else await this.conn.run(META_SET, [name, JSON.stringify(value)]);
    } catch (error) {
      throw wrapError(error, `set meta ${name}`);
    }
  }
}
