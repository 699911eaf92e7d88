import type { NormalizedSchema } from '@offgrid/schema';
import { type IDBPDatabase, type IDBPTransaction, unwrap, wrap } from 'idb';
import { StorageError } from '../../errors';
import type { StorageAdapter, StorageReader, StorageWriter } from '../storage-adapter';
import { IndexedDBReader, IndexedDBWriter } from './indexeddb-transaction';
import { META_STORE, SCHEMA_META_KEY, type StoreLayout, storeLayout } from './store-layout';

/** Options of {@link IndexedDBAdapter}. */
export interface IndexedDBAdapterOptions {
  /** Database name; one per app (and per user, if several users share a browser profile). */
  name: string;
  /** The IndexedDB factory; defaults to `globalThis.indexedDB`. Tests pass a fresh `fake-indexeddb` one. */
  indexedDB?: IDBFactory;
}

type Db = IDBPDatabase<unknown>;
type UpgradeTx = IDBPTransaction<unknown, string[], 'versionchange'>;

const noop = () => {};

/**
 * Commits a write whose body is done, instead of waiting for the engine to notice it went idle (one task
 * later in Chromium). A transaction that already finished (a body that made no requests) is left alone.
 */
function commitNow(tx: IDBPTransaction<unknown, string[], 'readwrite'>): void {
  try {
    (unwrap(tx) as unknown as Partial<IDBTransaction>).commit?.();
  } catch {
    // Already committing or finished: tx.done reports how it ended.
  }
}

/** Stores or indexes `layout` needs that the database lacks (or has with another key path). */
function missingParts(db: Db, layout: StoreLayout[]): boolean {
  const existing = layout.filter((s) => db.objectStoreNames.contains(s.name)).map((s) => s.name);
  if (existing.length < layout.length) return true;
  const tx = db.transaction(existing, 'readonly');
  return layout.some((s) => {
    const store = tx.objectStore(s.name);
    return s.indexes.some(
      (i) => !store.indexNames.contains(i.name) || JSON.stringify(store.index(i.name).keyPath) !== JSON.stringify(i.keyPath),
    );
  });
}

/** Creates what `layout` needs inside a version change; never deletes a store, so records survive. */
function applyLayout(db: Db, tx: UpgradeTx, layout: StoreLayout[]): void {
  for (const s of layout) {
    const store = db.objectStoreNames.contains(s.name) ? tx.objectStore(s.name) : db.createObjectStore(s.name, s.options);
    for (const i of s.indexes) {
      if (store.indexNames.contains(i.name)) {
        if (JSON.stringify(store.index(i.name).keyPath) === JSON.stringify(i.keyPath)) continue;
        store.deleteIndex(i.name); // an index is derived data; rebuilding it loses nothing
      }
      store.createIndex(i.name, i.keyPath, i.multiEntry ? { multiEntry: true } : undefined);
    }
  }
}

/**
 * Stores records in IndexedDB: one object store per model keyed by the record key, plus `_outbox` and
 * `_meta`. Queries use the model's indexes and key ranges, and stop reading once the page is full when
 * the index order is the query's order. In Node, install `fake-indexeddb/auto` first (idb needs the IDB
 * globals) and pass a factory.
 *
 * @example
 * const store = createDataStore({ schema, storage: new IndexedDBAdapter({ name: 'todos' }) })
 */
export class IndexedDBAdapter implements StorageAdapter {
  readonly name = 'indexeddb';
  private readonly factory: IDBFactory;
  private connection: Promise<Db> | undefined;
  private schema: NormalizedSchema | undefined;

  constructor(private readonly options: IndexedDBAdapterOptions) {
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) {
      throw new StorageError(
        'indexeddb',
        'IndexedDB is not available here. Pass { indexedDB } (e.g. from fake-indexeddb in Node) or use another storage adapter.',
      );
    }
    this.factory = factory;
  }

  async open(): Promise<NormalizedSchema | undefined> {
    const db = await this.db();
    this.schema = (await db.get(META_STORE, SCHEMA_META_KEY)) as NormalizedSchema | undefined;
    return this.schema;
  }

  async prepare(schema: NormalizedSchema): Promise<void> {
    const layout = storeLayout(schema);
    let db = await this.db();
    // Another tab may upgrade between our check and our open; then check again at its version.
    for (let attempt = 0; missingParts(db, layout); attempt++) {
      db.close();
      try {
        db = await this.connect(db.version + 1, layout);
      } catch (error) {
        if (attempt >= 3 || (error as DOMException).name !== 'VersionError') throw error;
        db = await this.connect(undefined, layout);
      }
    }
    await db.put(META_STORE, schema, SCHEMA_META_KEY);
    this.schema = schema;
  }

  async reset(): Promise<void> {
    const db = await this.db();
    const tx = db.transaction([...db.objectStoreNames], 'readwrite');
    await Promise.all([...db.objectStoreNames].map((name) => tx.objectStore(name).clear()));
    await tx.done;
  }

  async read<T>(fn: (tx: StorageReader) => Promise<T>): Promise<T> {
    const db = await this.db();
    return fn(new IndexedDBReader(db.transaction([...db.objectStoreNames], 'readonly'), this.schema));
  }

  async write<T>(fn: (tx: StorageWriter) => Promise<T>): Promise<T> {
    const db = await this.db();
    const tx = db.transaction([...db.objectStoreNames], 'readwrite');
    // Failures surface through the awaits below; without this an aborted transaction is an unhandled rejection.
    tx.done.catch(noop);
    try {
      const result = await fn(new IndexedDBWriter(tx, this.schema));
      commitNow(tx);
      await tx.done;
      return result;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already committed or aborted (e.g. a failed request aborted it): nothing left to undo.
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    (await connection?.catch(() => undefined))?.close();
  }

  /** The open connection, opened at the current version on first use or after another tab upgraded. */
  private db(): Promise<Db> {
    return this.connection ?? this.connect(undefined, storeLayout(this.schema));
  }

  private connect(version: number | undefined, layout: StoreLayout[]): Promise<Db> {
    const request = this.factory.open(this.options.name, version);
    request.addEventListener('upgradeneeded', () => {
      applyLayout(wrap(request.result) as Db, wrap(request.transaction as IDBTransaction) as unknown as UpgradeTx, layout);
    });
    // 'blocked': another connection has not closed yet; ours close on 'versionchange', so the open just waits.
    const connection = (wrap(request) as Promise<Db>).then((db) => {
      const release = () => {
        if (this.connection === connection) this.connection = undefined;
      };
      // Close when another tab upgrades, or it stays blocked forever; the next operation reopens.
      db.addEventListener('versionchange', () => {
        db.close();
        release();
      });
      db.addEventListener('close', release);
      return db;
    });
    this.connection = connection;
    connection.catch(() => {
      if (this.connection === connection) this.connection = undefined;
    });
    return connection;
  }
}
