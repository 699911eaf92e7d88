import type { ChangeBatch } from '../observe/change-feed';
import type { StorageQuery } from '../predicates/predicate-node';

type Rec = Record<string, unknown>;

interface Entry {
  rows: readonly Rec[];
  models: readonly string[];
}

/**
 * Why a query cannot be keyed by its JSON: a value JSON would change or drop (`NaN` and `null` both print
 * `null`), so two different queries could share a key.
 */
function lossyInJson(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if ((typeof raw === 'number' && !Number.isFinite(raw)) || typeof raw === 'bigint' || raw instanceof Date) throw LOSSY;
  if (raw === undefined && Array.isArray(this)) throw LOSSY;
  return value;
}
const LOSSY = new Error('lossy');

/**
 * The cache key of a storage query on a model, or undefined when the query has a value JSON cannot tell
 * apart from another (then it is never cached).
 *
 * @example
 * queryCacheKey('Todo', { predicate: { type: 'field', field: 'done', op: 'eq', value: false }, limit: 10 })
 */
export function queryCacheKey(model: string, query: StorageQuery): string | undefined {
  try {
    return `${model}\u0000${JSON.stringify(query, lossyInJson)}`;
  } catch (error) {
    if (error === LOSSY) return undefined;
    throw error;
  }
}

/**
 * Answers a query asked again with no write in between from memory, as RxDB's query cache does: results
 * are kept by the normalized query, and dropped when any change to a model the query reads (its own, and
 * the models a relation predicate reaches) is committed, locally, from sync or by another tab, and on
 * clear or reset. Cached rows are frozen records, so every caller may share them; each caller gets its own
 * array. A query that overlapped a write is not kept, since it may have read either side of it.
 *
 * @example
 * const cache = new QueryCache()
 * feed.batches$.subscribe((batch) => cache.onChanges(batch))
 * const rows = await cache.get(key, ['Todo'], () => readFromStorage())
 */
export class QueryCache {
  private readonly entries = new Map<string, Entry>();
  private readonly keysByModel = new Map<string, Set<string>>();
  /** Loads under way, so identical queries asked together (a page of live queries) read storage once. */
  private readonly inflight = new Map<string, { generation: number; rows: Promise<Rec[]> }>();
  /** Bumped by every invalidation; a load that saw it move may hold stale rows. */
  private generation = 0;
  /** Answers served from memory and loads that went to storage, for tests and benchmarks. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly maxEntries = 500) {}

  /** The rows of `key` from memory, or from `load` (then kept, unless a model in `models` changed meanwhile). */
  async get(key: string, models: readonly string[], load: () => Promise<Rec[]>): Promise<Rec[]> {
    const hit = this.entries.get(key);
    if (hit) {
      this.stats.hits++;
      // Most recently used last, so eviction drops the coldest entry first.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.rows.slice();
    }
    const generation = this.generation;
    // Joining a load started since the last change is as good as starting one: no change came between.
    const running = this.inflight.get(key);
    if (running && running.generation === generation) {
      this.stats.hits++;
      return (await running.rows).slice();
    }
    this.stats.misses++;
    const rows = load();
    this.inflight.set(key, { generation, rows });
    try {
      const result = await rows;
      if (generation === this.generation) this.put(key, models, result.slice());
      return result.slice();
    } finally {
      if (this.inflight.get(key)?.rows === rows) this.inflight.delete(key);
    }
  }

  /** Drops what a committed change batch may have made stale. */
  onChanges(batch: ChangeBatch): void {
    if (batch.source === 'reset') {
      this.clear();
      return;
    }
    const seen = new Set<string>();
    for (const change of batch.changes) {
      if (seen.has(change.model)) continue;
      seen.add(change.model);
      this.invalidate(change.model);
    }
  }

  /** Drops every cached query that reads `model`. */
  invalidate(model: string): void {
    this.generation++;
    const keys = this.keysByModel.get(model);
    if (!keys) return;
    this.keysByModel.delete(model);
    for (const key of keys) this.remove(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.keysByModel.clear();
  }

  private put(key: string, models: readonly string[], rows: readonly Rec[]): void {
    this.entries.set(key, { rows, models });
    for (const model of models) {
      let keys = this.keysByModel.get(model);
      if (!keys) this.keysByModel.set(model, (keys = new Set()));
      keys.add(key);
    }
    if (this.entries.size > this.maxEntries) this.remove(this.entries.keys().next().value as string);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const model of entry.models) this.keysByModel.get(model)?.delete(key);
  }
}
