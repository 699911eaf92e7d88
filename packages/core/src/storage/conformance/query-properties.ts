import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldOperator, PredicateNode, SortSpec, StorageQuery } from '../../predicates/predicate-node';
import type { StoredRecord } from '../storage-adapter';
import { type AdapterFactory, type StorageConformanceOptions, useAdapter } from './conformance-context';
import { oracleQuery } from './query-oracle';

// Small value domains so that predicates hit, sorts tie and index ranges matter.
const TITLES = ['', 'a', 'al', 'alpha', 'Alpha', 'beta'];
const OWNERS = ['ada', 'bob', 'cy', 'dee', 'eve'];
const DATES = ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '2024-01-02T12:00:00.000Z', '2024-01-03T00:00:00.000Z'];
const BODIES = ['', 'x', 'hello', 'hello world'];
const TAGS = ['a', 'b', 'c'];
const IDS = Array.from({ length: 24 }, (_, i) => `k${String(i).padStart(2, '0')}`);

/** A value that may be absent (property left out), null, or drawn from `values`. */
function optional<T>(values: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> {
  return fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: values });
}

const todoArb = (id: string) =>
  fc
    .record({
      title: fc.constantFrom(...TITLES),
      done: fc.boolean(),
      priority: optional(fc.integer({ min: 0, max: 5 })),
      owner: optional(fc.constantFrom(...OWNERS)),
      updatedAt: optional(fc.constantFrom(...DATES)),
      body: optional(fc.constantFrom(...BODIES)),
      tags: optional(fc.subarray(TAGS)),
    })
    .map((fields) => {
      const record: StoredRecord = { id };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) record[k] = v;
      return record;
    });

const todosArb: fc.Arbitrary<StoredRecord[]> = fc
  .uniqueArray(fc.constantFrom(...IDS), { minLength: 4, maxLength: 24, size: 'max' })
  .chain((ids) => (ids.length ? fc.tuple(...ids.map(todoArb)) : fc.constant([])));

/** Operand domains per field; `null` is mixed in so missing-value semantics are exercised. */
const domains: Record<string, { values: fc.Arbitrary<unknown>; strings: boolean }> = {
  id: { values: fc.constantFrom(...IDS), strings: true },
  title: { values: fc.constantFrom(...TITLES), strings: true },
  done: { values: fc.boolean(), strings: false },
  priority: { values: fc.integer({ min: -1, max: 6 }), strings: false },
  owner: { values: fc.constantFrom(...OWNERS, 'zed'), strings: true },
  updatedAt: { values: fc.constantFrom(...DATES, '2024-01-02'), strings: true },
  body: { values: fc.constantFrom(...BODIES, 'world'), strings: true },
};

const fieldNode = (field: string, op: FieldOperator, value: unknown): PredicateNode => ({ type: 'field', field, op, value });

function leafFor(field: string): fc.Arbitrary<PredicateNode> {
  const { values, strings } = domains[field] ?? { values: fc.constant(null), strings: false };
  const orNull = fc.oneof({ weight: 6, arbitrary: values }, { weight: 1, arbitrary: fc.constant(null) });
  const ops: Array<fc.Arbitrary<PredicateNode>> = [
    fc.tuple(fc.constantFrom<FieldOperator>('eq', 'ne', 'gt', 'ge', 'lt', 'le'), orNull).map(([op, v]) => fieldNode(field, op, v)),
    fc.tuple(values, values).map(([a, b]) => fieldNode(field, 'between', [a, b])),
    fc.tuple(fc.constantFrom<FieldOperator>('in', 'notIn'), fc.array(orNull, { maxLength: 3 })).map(([op, v]) => fieldNode(field, op, v)),
  ];
  if (strings) {
    const piece = fc.constantFrom('', 'a', 'al', 'h', 'lo', 'e', '2024-01-02', 'x');
    ops.push(fc.tuple(fc.constantFrom<FieldOperator>('beginsWith', 'contains', 'notContains'), piece).map(([op, v]) => fieldNode(field, op, v)));
  }
  return fc.oneof(...ops);
}

const tagsLeaf = fc
  .tuple(fc.constantFrom<FieldOperator>('contains', 'notContains'), fc.constantFrom(...TAGS, 'z'))
  .map(([op, v]) => fieldNode('tags', op, v));

const leafArb: fc.Arbitrary<PredicateNode> = fc.oneof(...Object.keys(domains).map(leafFor), tagsLeaf);

/** Random predicates: any operator on any field, nested and/or/not up to depth 3 (empty and/or included). */
const predicateArb: fc.Arbitrary<PredicateNode> = fc.letrec<{ node: PredicateNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
    { weight: 4, arbitrary: leafArb },
    { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 3 }).map((children): PredicateNode => ({ type: 'and', children })) },
    { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 3 }).map((children): PredicateNode => ({ type: 'or', children })) },
    { weight: 1, arbitrary: tie('node').map((child): PredicateNode => ({ type: 'not', child })) },
  ),
})).node;

/** Predicates shaped like index lookups (owner = X, maybe a range on updatedAt, maybe more), so engines use them. */
const indexedPredicateArb: fc.Arbitrary<PredicateNode> = fc
  .tuple(
    fc.constantFrom(...OWNERS),
    fc.option(
      fc.oneof(
        fc.tuple(fc.constantFrom<FieldOperator>('gt', 'ge', 'lt', 'le'), fc.constantFrom(...DATES)).map(([op, v]) => fieldNode('updatedAt', op, v)),
        fc.tuple(fc.constantFrom(...DATES), fc.constantFrom(...DATES)).map(([a, b]) => fieldNode('updatedAt', 'between', [a, b])),
        fc.constantFrom('2024-01-0', '2024-01-02', '').map((p) => fieldNode('updatedAt', 'beginsWith', p)),
      ),
      { nil: undefined },
    ),
    fc.array(predicateArb, { maxLength: 1 }),
  )
  .map(([owner, range, rest]): PredicateNode => ({
    type: 'and',
    children: [fieldNode('owner', 'eq', owner), ...(range ? [range] : []), ...rest],
  }));

const SORT_FIELDS = ['id', 'title', 'done', 'priority', 'owner', 'updatedAt', 'body'];
const directionArb = fc.constantFrom<'asc' | 'desc'>('asc', 'desc');

const sortArb: fc.Arbitrary<SortSpec[] | undefined> = fc.option(
  fc.uniqueArray(fc.constantFrom(...SORT_FIELDS), { minLength: 1, maxLength: 3 }).chain((fields) =>
    fc.tuple(...fields.map((field) => directionArb.map((direction): SortSpec => ({ field, direction })))),
  ),
  { nil: undefined },
);

/** Sorts an (owner, updatedAt) index can serve, with one direction or mixed. */
const indexedSortArb: fc.Arbitrary<SortSpec[] | undefined> = fc.oneof(
  { weight: 2, arbitrary: directionArb.map((d): SortSpec[] => [{ field: 'updatedAt', direction: d }]) },
  {
    weight: 1,
    arbitrary: fc.tuple(directionArb, directionArb).map(([a, b]): SortSpec[] => [
      { field: 'owner', direction: a },
      { field: 'updatedAt', direction: b },
    ]),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(directionArb, directionArb).map(([a, b]): SortSpec[] => [
      { field: 'updatedAt', direction: a },
      { field: 'owner', direction: b },
    ]),
  },
  { weight: 1, arbitrary: sortArb },
);

const pageArb = fc.record({
  limit: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
  offset: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined, freq: 3 }),
});

function queryArb(predicate: fc.Arbitrary<PredicateNode>, sort: fc.Arbitrary<SortSpec[] | undefined>): fc.Arbitrary<StorageQuery> {
  return fc.tuple(fc.option(predicate, { nil: undefined }), sort, pageArb).map(([p, s, page]) => {
    const q: StorageQuery = {};
    if (p) q.predicate = p;
    if (s) q.sort = s;
    if (page.limit !== undefined) q.limit = page.limit;
    if (page.offset !== undefined) q.offset = page.offset;
    return q;
  });
}

/** Property tests: random records and queries must give exactly what the in-memory oracle gives. */
export function describeQueryProperties(create: AdapterFactory, options: StorageConformanceOptions): void {
  describe('query properties (fast-check, against the oracle)', () => {
    const h = useAdapter(create, options);

    const check = (query: fc.Arbitrary<StorageQuery>) =>
      fc.asyncProperty(todosArb, query, fc.boolean(), async (records, q, inWrite) => {
        const entries = records.map((r) => [String(r.id), r] as const);
        const result = await h.adapter.write(async (tx) => {
          await tx.deleteAll('Todo');
          for (const [key, r] of entries) await tx.put('Todo', key, r);
          return inWrite ? tx.query('Todo', q) : undefined;
        });
        const actual = result ?? (await h.adapter.read((tx) => tx.query('Todo', q)));
        expect(actual).toEqual(oracleQuery(entries, q));
      });

    it('random predicates, sorts, limits and offsets', async () => {
      await fc.assert(check(queryArb(predicateArb, sortArb)), { numRuns: 60 });
    });

    it('index-shaped predicates and sorts', async () => {
      await fc.assert(check(queryArb(indexedPredicateArb, indexedSortArb)), { numRuns: 60 });
    });
  });
}
