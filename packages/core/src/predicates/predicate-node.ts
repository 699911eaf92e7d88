export type { FieldOperator, PredicateNode } from '@offgrid/schema';
import type { PredicateNode } from '@offgrid/schema';

/** One sort key. Records are always finally ordered by their primary key so results are deterministic. */
export interface SortSpec {
  field: string;
  direction: 'asc' | 'desc';
}

/** What a storage adapter is asked to run: predicates on the model's own fields only. */
export interface StorageQuery {
  predicate?: PredicateNode;
  sort?: SortSpec[];
  limit?: number;
  offset?: number;
}
