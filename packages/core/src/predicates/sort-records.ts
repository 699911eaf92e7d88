import { compareValues } from './compare-values';
import type { SortSpec } from './predicate-node';

/**
 * Builds the comparator for a sort. Ties are broken by the record key in the direction of the last sort
 * field, which is also the order an IndexedDB index cursor yields, so adapters agree exactly.
 *
 * @example
 * records.sort(recordComparator([{ field: 'updatedAt', direction: 'desc' }], (r) => r.id as string))
 */
export function recordComparator<R extends Record<string, unknown>>(
  sort: readonly SortSpec[] | undefined,
  keyOf: (record: R) => string,
): (a: R, b: R) => number {
  const specs = sort ?? [];
  const last = specs[specs.length - 1];
  const tieDirection = last?.direction === 'desc' ? -1 : 1;
  return (a, b) => {
    for (const { field, direction } of specs) {
      const c = compareValues(a[field], b[field]);
      if (c !== 0) return direction === 'desc' ? -c : c;
    }
    return tieDirection * compareValues(keyOf(a), keyOf(b));
  };
}
