import {
  type StorageAdapter,
  StorageError,
  type StorageReader,
  type StorageWriter,
  StoreStateError,
  WriteQueue,
} from '@offgrid/core';
import type { NormalizedSchema } from '@offgrid/schema';
import { applyTableLayout, BASE_TABLES_SQL } from './apply-table-layout';
import { ReadSnapshots } from './read-snapshots';
import { SqliteConnection } from './sqlite-connection';
import type { MaybePromise, SqliteDriver } from './sqlite-driver';
import { SqliteReader, SqliteWriter, type TransactionState } from './sqlite-transaction';
import { quoteIdentifier } from './sql-identifier';
import { TableCatalog } from './table-catalog';
import { META_TABLE, OUTBOX_TABLE } from './table-layout';

/**
 * Options for {@link SqliteAdapter}.
 *
 * @example
 * new SqliteAdapter({ driver: () => betterSqlite3Driver('app.db'), statementCacheSize: 512 })
 */
export interface SqliteAdapterOptions {
  /**
   * The database connection: a driver, a promise of one (`betterSqlite3Driver('app.db')`), or a function
   * making one, called on first use.
   */
  driver: MaybePromise<SqliteDriver> | (() => MaybePromise<SqliteDriver>);
  /** Prepared statements kept per connection, least recently used dropped first. Default 256. */
  statementCacheSize?: number;
  /** The adapter's name in errors and to the store (default `sqlite`; `sqlite-opfs` for the OPFS adapter). */
  name?: string;
}

interface Connections {
  writer: SqliteConnection;
  /** Present when the driver offers a read-only second connection (a WAL file database). */
  snapshots: ReadSnapshots | undefined;
  reader: SqliteConnection | undefined;
}

/**
 * The SQLite storage adapter: one table per model with a real column per field, predicates, sort and
 * limit compiled to SQL, and each `write` one `BEGIN IMMEDIATE` transaction (record and outbox entry
 * commit together). Reads run in a committed snapshot on a second read-only connection when the database
 * is a WAL file, so they never see a write in progress and never wait for one; on `:memory:` they queue
 * behind writes instead.
 *
 * Records round-trip exactly: a field given as `null` comes back `null`, a missing one stays missing
 * (both are NULL in SQL, and both match predicates as "missing").
 *
 * @example
 * import { SqliteAdapter, betterSqlite3Driver } from '@offgrid/sqlite'
 * const storage = new SqliteAdapter({ driver: betterSqlite3Driver('app.db') })
 * const store = createDataStore({ schema, storage })
 */
export class SqliteAdapter implements StorageAdapter {
  readonly name: string;
  private readonly writes = new WriteQueue();
  private connections: Connections | undefined;
  private opening: Promise<Connections> | undefined;
  private catalog = TableCatalog.empty;
  /** Committed write transactions; a read may share a snapshot only if none committed since it began. */
  private commits = 0;
  private closing = false;
  private readonly driverSource: SqliteAdapterOptions['driver'];
  private readonly cacheSize: number;

  constructor(options: SqliteAdapterOptions) {
    this.name = options.name ?? 'sqlite';
    this.driverSource = options.driver;
    this.cacheSize = options.statementCacheSize ?? 256;
    // A driver promise may reject before open(); the rejection is reported by open(), not as unhandled.
    if (options.driver instanceof Promise) options.driver.catch(() => undefined);
  }

  private closedError(): StoreStateError {
    return new StoreStateError('This SqliteAdapter was closed; create a new one to open the database again.');
  }

  private assertOpenable(): void {
    if (this.closing) throw this.closedError();
  }

  private connect(): Promise<Connections> {
    if (this.closing) return Promise.reject(this.closedError());
    this.opening ??= this.doConnect().then((c) => (this.connections = c));
    return this.opening;
  }

  private async doConnect(): Promise<Connections> {
    const source = this.driverSource;
    const driver = await (typeof source === 'function' ? source() : source);
    const writer = new SqliteConnection(driver, this.cacheSize);
    try {
      await writer.exec(BASE_TABLES_SQL);
      const stored = await this.storedSchema(writer);
      if (stored) {
        const catalog = TableCatalog.fromSchema(stored);
        const present = await this.tableNames(writer);
        this.catalog = new TableCatalog(
          catalog.layouts,
          new Set([...catalog.layouts.keys()].filter((m) => !present.has(m.toLowerCase()))),
        );
      }
      const readDriver = await driver.openReader?.();
      const reader = readDriver ? new SqliteConnection(readDriver, this.cacheSize) : undefined;
      const snapshots = reader ? new ReadSnapshots(reader, () => this.commits) : undefined;
      return { writer, reader, snapshots };
    } catch (error) {
      await writer.close().catch(() => undefined);
      throw error;
    }
  }

  private async storedSchema(conn: SqliteConnection): Promise<NormalizedSchema | undefined> {
    const row = await conn.get(`SELECT value FROM "${META_TABLE}" WHERE name = ?`, ['schema']);
    return row === undefined ? undefined : (JSON.parse(row.value as string) as NormalizedSchema);
  }

  private async tableNames(conn: SqliteConnection): Promise<Set<string>> {
    const rows = await conn.all(`SELECT name FROM sqlite_master WHERE type = 'table'`);
    return new Set(rows.map((r) => String(r.name).toLowerCase()));
  }

  /** Runs `fn` as one write transaction on the writer connection, after every earlier one. */
  private transaction<T>(c: Connections, fn: (tx: SqliteWriter) => Promise<T>): Promise<T> {
    return this.writes.run(async () => {
      const { writer } = c;
      await writer.run('BEGIN IMMEDIATE');
      const state: TransactionState = { active: true };
      const tx = new SqliteWriter(writer, this.catalog, state);
      let result: T;
      try {
        result = await fn(tx);
        state.active = false;
        await writer.run('COMMIT');
      } catch (error) {
        state.active = false;
        try {
          await writer.run('ROLLBACK');
        } catch {
          // SQLite already rolled back (e.g. after SQLITE_FULL); the original error is what matters.
        }
        throw error;
      }
      if (tx.created.size > 0) this.catalog = this.catalog.withCreated(tx.created);
      this.commits++;
      return result;
    });
  }

  /**
   * Opens the database (creating the outbox and metadata tables) and returns the schema it was last
   * prepared with. Other methods open on first use, so calling this is optional.
   *
   * @example
   * const previous = await storage.open() // undefined for a new database
   */
  async open(): Promise<NormalizedSchema | undefined> {
    const c = await this.connect();
    return this.writes.run(() => this.storedSchema(c.writer));
  }

  /**
   * Creates missing tables, columns and indexes for `schema` in one transaction and records the schema.
   * Never drops data: a removed field's column stays; a text/number type change on a table with rows throws.
   *
   * @example
   * await storage.prepare(schema)
   */
  async prepare(schema: NormalizedSchema): Promise<void> {
    const c = await this.connect();
    const next = TableCatalog.fromSchema(schema);
    await this.writes.run(async () => {
      await c.writer.run('BEGIN IMMEDIATE');
      try {
        for (const layout of next.layouts.values()) await applyTableLayout(c.writer, layout);
        await c.writer.run(
          `INSERT INTO "${META_TABLE}" (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value`,
          ['schema', JSON.stringify(schema)],
        );
        await c.writer.run('COMMIT');
      } catch (error) {
        await c.writer.run('ROLLBACK').catch(() => undefined);
        throw error instanceof StorageError ? error : new StorageError('sqlite', `prepare failed: ${String(error)}`, { cause: error });
      }
      this.catalog = next;
      this.commits++;
      c.writer.forgetStatements();
      c.reader?.forgetStatements();
    });
  }

  /**
   * Drops every model table and empties the outbox and metadata, in one transaction. The prepared layouts
   * are kept, so the store stays usable: a table is recreated by the next write to its model.
   *
   * @example
   * await storage.reset()
   */
  async reset(): Promise<void> {
    const c = await this.connect();
    await this.writes.run(async () => {
      await c.writer.run('BEGIN IMMEDIATE');
      try {
        // Only model tables (the prepared ones and those of the recorded schema): tables the app keeps in
        // the same file are not ours to drop.
        const models = new Set(this.catalog.layouts.keys());
        for (const model of Object.keys((await this.storedSchema(c.writer))?.models ?? {})) models.add(model);
        for (const model of models) await c.writer.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(model)}`);
        await c.writer.exec(
          `DELETE FROM "${OUTBOX_TABLE}"; DELETE FROM "${META_TABLE}"; DELETE FROM sqlite_sequence WHERE name = '${OUTBOX_TABLE}';`,
        );
        await c.writer.run('COMMIT');
      } catch (error) {
        await c.writer.run('ROLLBACK').catch(() => undefined);
        throw new StorageError('sqlite', `reset failed: ${String(error)}`, { cause: error });
      }
      this.catalog = this.catalog.withAllMissing();
      this.commits++;
      c.writer.forgetStatements();
      c.reader?.forgetStatements();
    });
  }

  /**
   * A read-only transaction over a committed snapshot. Concurrent reads share a snapshot while no write
   * has committed in between. Without a read connection (`:memory:`) reads queue behind writes, so do not
   * await a `read` inside a `write` there.
   *
   * @example
   * const todos = await storage.read((tx) => tx.query('Todo', { sort: [{ field: 'title', direction: 'asc' }] }))
   */
  async read<T>(fn: (tx: StorageReader) => Promise<T>): Promise<T> {
    const c = this.connections ?? (await this.connect());
    this.assertOpenable();
    const state: TransactionState = { active: true };
    const run = async (conn: SqliteConnection) => {
      try {
        return await fn(new SqliteReader(conn, this.catalog, state));
      } finally {
        state.active = false;
      }
    };
    const { snapshots, reader } = c;
    if (snapshots && reader) return snapshots.run(() => run(reader));
    // One connection: queueing behind writes is what keeps a read from seeing a write in progress.
    return this.writes.run(() => run(c.writer));
  }

  /**
   * A read-write transaction (`BEGIN IMMEDIATE` ... `COMMIT`); if `fn` throws, it is rolled back and the
   * error rethrown. Write transactions run one at a time, in call order.
   *
   * @example
   * await storage.write(async (tx) => {
   *   await tx.put('Todo', todo.id, todo)
   *   await tx.putOutbox({ id, model: 'Todo', key: todo.id, operation: 'create', record: todo,
   *     changedFields: [], status: 'pending', attempts: 0, createdAt: Date.now() })
   * })
   */
  write<T>(fn: (tx: StorageWriter) => Promise<T>): Promise<T> {
    const c = this.connections;
    if (!c || this.closing) return this.connect().then((opened) => this.transaction(opened, fn));
    return this.transaction(c, fn);
  }

  /**
   * Waits for queued writes and running reads, then closes the connections.
   *
   * @example
   * await storage.close()
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const opening = this.opening;
    if (!opening) {
      // Never opened: a driver handed over ready-made is still ours to close.
      const source = this.driverSource;
      if (typeof source !== 'function') await (await source).close();
      return;
    }
    const c = await opening.catch(() => undefined);
    if (!c) return;
    await this.writes.run(async () => undefined);
    await c.snapshots?.idle();
    await c.reader?.close();
    await c.writer.close();
  }
}
