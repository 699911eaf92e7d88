import { evaluatePredicate } from '../../predicates/evaluate-predicate';
import type { StorageQuery } from '../../predicates/predicate-node';
import { recordComparator } from '../../predicates/sort-records';
import type { StoredRecord } from '../storage-adapter';

/**
 * What every adapter's `query` must return: filter with `evaluatePredicate`, order with `recordComparator`
 * (ties broken by the record key), then `offset` and `limit`.
 *
 * @example
 * expect(await adapter.read((tx) => tx.query('Todo', q))).toEqual(oracleQuery(records.map((r) => [r.id, r]), q))
 */
export function oracleQuery(entries: ReadonlyArray<readonly [string, StoredRecord]>, query: StorageQuery): StoredRecord[] {
  const keyOf = new Map<StoredRecord, string>();
  const matched: StoredRecord[] = [];
  for (const [key, record] of entries) {
    if (!evaluatePredicate(query.predicate, record)) continue;
    keyOf.set(record, key);
    matched.push(record);
  }
  matched.sort(recordComparator(query.sort, (r) => keyOf.get(r) ?? ''));
  const start = query.offset ?? 0;
  return matched.slice(start, query.limit === undefined ? undefined : start + query.limit);
}
