import type { Observable } from 'rxjs';
import type { ChangeBatch } from './change-feed';
import type { LiveQueryOptions } from './live-query';

/** What a live query needs from the store; the store implements it, tests can fake it. */
export interface LiveQuerySource {
  readonly changes$: Observable<ChangeBatch>;
  /** Emits whenever any model's synced state may have changed. */
  readonly syncStateChanged$: Observable<unknown>;
  runQuery(options: LiveQueryOptions): Promise<Record<string, unknown>[]>;
  keyOf(model: string, record: Record<string, unknown>): string;
  isSynced(model: string): boolean;
  /** True when a change to `model` can change the result of a query on `options.model` (relations). */
  affects(options: LiveQueryOptions, model: string): boolean;
  /** Turns stored fields (e.g. rows prefetched on a server) into the frozen records queries return. */
  materialize(model: string, fields: Record<string, unknown>): Record<string, unknown>;
}
