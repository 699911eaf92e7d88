import type { NormalizedSchema } from '@offgrid/schema';
import type { NewOutboxEntry, OutboxEntry } from '../outbox/outbox-entry';
import type { StorageQuery } from '../predicates/predicate-node';

/** A record as stored: its model's non-relation fields plus `_version`, `_lastChangedAt`, `_deleted`. */
export type StoredRecord = Record<string, unknown>;

/** Reads inside one storage transaction (a consistent snapshot). */
export interface StorageReader {
  /** One record by its key (`modelKeyOf`), or undefined. */
  get(model: string, key: string): Promise<StoredRecord | undefined>;
  /**
   * Several records of one model by key, in the order of `keys` (undefined where absent). One round trip
   * where the engine allows: a bulk save checks which of its records exist with this, not with N `get`s.
   */
  getMany(model: string, keys: readonly string[]): Promise<Array<StoredRecord | undefined>>;
  /**
   * Records of one model matching `query`, sorted and limited by the engine (SQL, indexes, cursors),
   * never by loading the whole table. Predicates only name the model's own fields.
   */
  query(model: string, query: StorageQuery): Promise<StoredRecord[]>;
  /** Number of records of one model. */
  count(model: string): Promise<number>;
  /** All outbox entries, oldest first. */
  outbox(): Promise<OutboxEntry[]>;
  /** Outbox entries of one record, oldest first. */
  outboxFor(model: string, key: string): Promise<OutboxEntry[]>;
  /** A value from the store's metadata (schema, sync cursors). */
  getMeta<T = unknown>(name: string): Promise<T | undefined>;
}

/** Writes inside one storage transaction; all of them commit together or not at all. */
export interface StorageWriter extends StorageReader {
  /** Inserts or replaces a record. */
  put(model: string, key: string, record: StoredRecord): Promise<void>;
  /**
   * Inserts or replaces several records of one model, in order, without a round trip per record (IndexedDB
   * queues every request before waiting; SQLite reuses one prepared statement).
   */
  putMany(model: string, records: ReadonlyArray<readonly [key: string, record: StoredRecord]>): Promise<void>;
  delete(model: string, key: string): Promise<void>;
  /** Removes every record of one model. */
  deleteAll(model: string): Promise<void>;
  /** Inserts (assigning `seq` when absent) or replaces an outbox entry; returns its `seq`. */
  putOutbox(entry: NewOutboxEntry): Promise<number>;
  /** Appends new outbox entries (no `seq`) in order; returns their `seq`s, increasing. */
  putOutboxMany(entries: readonly NewOutboxEntry[]): Promise<number[]>;
  deleteOutbox(seq: number): Promise<void>;
  setMeta(name: string, value: unknown): Promise<void>;
}

/**
 * The contract between the store and a storage engine. Memory, IndexedDB and SQLite implement it and pass
 * the same conformance suite (`@offgrid/core/testing`). Adapters know nothing of sync: remote changes come
 * through the same transactional `write` as local ones.
 *
 * @example
 * const store = createDataStore({ schema, storage: new MemoryAdapter() })
 */
export interface StorageAdapter {
  /** Short name for errors and benchmarks: `memory`, `indexeddb`, `sqlite`. */
  readonly name: string;
  /** Opens (creating if needed) the store and returns the schema it was last prepared with. */
  open(): Promise<NormalizedSchema | undefined>;
  /**
   * Makes the store fit `schema`: creates missing tables, columns and indexes; never drops data.
   * Records the schema so the next `open` returns it.
   */
  prepare(schema: NormalizedSchema): Promise<void>;
  /** Drops every record, the outbox and the metadata (used for `clear()` and breaking schema changes). */
  reset(): Promise<void>;
  /** A read-only transaction; runs concurrently with others where the engine allows. */
  read<T>(fn: (tx: StorageReader) => Promise<T>): Promise<T>;
  /**
   * A read-write transaction. If `fn` throws, nothing it wrote is kept. `fn` must only await the
   * transaction's own calls (IndexedDB commits a transaction left idle).
   */
  write<T>(fn: (tx: StorageWriter) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
