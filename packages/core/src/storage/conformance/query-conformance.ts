import { describe, expect, it } from 'vitest';
import type { FieldOperator, PredicateNode, SortSpec, StorageQuery } from '../../predicates/predicate-node';
import type { StoredRecord } from '../storage-adapter';
import { type AdapterFactory, type StorageConformanceOptions, seed, useAdapter } from './conformance-context';
import { fixtureKeyOf } from './fixture-schema';
import { oracleQuery } from './query-oracle';

const D1 = '2024-01-01T00:00:00.000Z';
const D2 = '2024-01-02T00:00:00.000Z';
const D3 = '2024-01-03T00:00:00.000Z';
const D5 = '2024-01-05T00:00:00.000Z';

/**
 * Eight todos chosen so every operator meets a present, a null and a missing value, ties on sort fields, and
 * (owner, updatedAt) pairs that an index cannot hold (missing owner or updatedAt).
 */
const todos: StoredRecord[] = [
  { id: 't01', title: 'alpha', done: false, priority: 1, owner: 'ada', updatedAt: D1, body: 'hello world', tags: ['a', 'b'] },
  { id: 't02', title: 'beta', done: true, priority: 3, owner: 'ada', updatedAt: D3, body: 'Hello', tags: [] },
  { id: 't03', title: 'gamma', done: false, priority: null, owner: 'bob', updatedAt: D2, tags: ['b'] },
  { id: 't04', title: 'alpha', done: true, priority: 5, updatedAt: D2 },
  { id: 't05', title: 'delta', done: false, priority: 0, owner: 'ada', body: 'world', tags: ['c'] },
  { id: 't06', title: 'Alpha', done: false, priority: 3, owner: 'carol', updatedAt: D5, body: '', tags: ['a'] },
  { id: 't07', title: 'epsilon', done: true, priority: 2, owner: 'bob', updatedAt: D3, body: 'x', tags: ['a', 'c'] },
  { id: 't08', title: 'zeta', done: false, priority: 3, owner: 'ada', updatedAt: D3, body: null, tags: null },
];

const ALL = ['t01', 't02', 't03', 't04', 't05', 't06', 't07', 't08'];

const f = (field: string, op: FieldOperator, value: unknown): PredicateNode => ({ type: 'field', field, op, value });
const and = (...children: PredicateNode[]): PredicateNode => ({ type: 'and', children });
const or = (...children: PredicateNode[]): PredicateNode => ({ type: 'or', children });
const not = (child: PredicateNode): PredicateNode => ({ type: 'not', child });
const asc = (field: string): SortSpec => ({ field, direction: 'asc' });
const desc = (field: string): SortSpec => ({ field, direction: 'desc' });

/** [name, predicate, expected ids in key order]. */
const predicateCases: Array<[string, PredicateNode, string[]]> = [
  ['eq on a string', f('title', 'eq', 'alpha'), ['t01', 't04']],
  ['eq is case-sensitive', f('title', 'eq', 'Alpha'), ['t06']],
  ['eq true', f('done', 'eq', true), ['t02', 't04', 't07']],
  ['eq false', f('done', 'eq', false), ['t01', 't03', 't05', 't06', 't08']],
  ['eq on an int', f('priority', 'eq', 3), ['t02', 't06', 't08']],
  ['eq 0 is not null', f('priority', 'eq', 0), ['t05']],
  ['eq on an indexed field', f('owner', 'eq', 'ada'), ['t01', 't02', 't05', 't08']],
  ['eq null matches null and missing', f('owner', 'eq', null), ['t04']],
  ['eq null on a null value', f('priority', 'eq', null), ['t03']],
  ['eq on a datetime', f('updatedAt', 'eq', D3), ['t02', 't07', 't08']],
  ['eq on a key field', f('id', 'eq', 't05'), ['t05']],
  ['eq with no match', f('owner', 'eq', 'zed'), []],
  ['ne includes missing values', f('owner', 'ne', 'ada'), ['t03', 't04', 't06', 't07']],
  ['ne on an int', f('priority', 'ne', 3), ['t01', 't03', 't04', 't05', 't07']],
  ['ne on a boolean', f('done', 'ne', true), ['t01', 't03', 't05', 't06', 't08']],
  ['ne null is "present"', f('owner', 'ne', null), ['t01', 't02', 't03', 't05', 't06', 't07', 't08']],
  ['gt on an int skips null', f('priority', 'gt', 2), ['t02', 't04', 't06', 't08']],
  ['ge on an int', f('priority', 'ge', 3), ['t02', 't04', 't06', 't08']],
  ['lt on an int skips null', f('priority', 'lt', 2), ['t01', 't05']],
  ['le 0', f('priority', 'le', 0), ['t05']],
  ['gt on strings compares code units', f('title', 'gt', 'beta'), ['t03', 't05', 't07', 't08']],
  ['ge on a datetime', f('updatedAt', 'ge', D3), ['t02', 't06', 't07', 't08']],
  ['lt on a datetime skips missing', f('updatedAt', 'lt', D2), ['t01']],
  ['le on a key field', f('id', 'le', 't02'), ['t01', 't02']],
  ['gt on a boolean', f('done', 'gt', false), ['t02', 't04', 't07']],
  ['lt on a boolean', f('done', 'lt', true), ['t01', 't03', 't05', 't06', 't08']],
  ['gt null matches nothing', f('priority', 'gt', null), []],
  ['between ints is inclusive', f('priority', 'between', [1, 3]), ['t01', 't02', 't06', 't07', 't08']],
  ['between datetimes', f('updatedAt', 'between', [D2, D3]), ['t02', 't03', 't04', 't07', 't08']],
  ['between strings', f('title', 'between', ['a', 'c']), ['t01', 't02', 't04']],
  ['between an empty range', f('priority', 'between', [3, 1]), []],
  ['beginsWith', f('title', 'beginsWith', 'al'), ['t01', 't04']],
  ['beginsWith empty matches present strings', f('owner', 'beginsWith', ''), ['t01', 't02', 't03', 't05', 't06', 't07', 't08']],
  ['beginsWith on an indexed field', f('owner', 'beginsWith', 'a'), ['t01', 't02', 't05', 't08']],
  ['beginsWith on a datetime', f('updatedAt', 'beginsWith', '2024-01-0'), ['t01', 't02', 't03', 't04', 't06', 't07', 't08']],
  ['contains a substring', f('body', 'contains', 'world'), ['t01', 't05']],
  ['contains is case-sensitive', f('body', 'contains', 'o'), ['t01', 't02', 't05']],
  ['contains empty matches present strings', f('body', 'contains', ''), ['t01', 't02', 't05', 't06', 't07']],
  ['contains a list member', f('tags', 'contains', 'a'), ['t01', 't06', 't07']],
  ['contains another list member', f('tags', 'contains', 'b'), ['t01', 't03']],
  ['contains in the middle of a string', f('title', 'contains', 'ta'), ['t02', 't05', 't08']],
  ['notContains on lists includes empty, null and missing', f('tags', 'notContains', 'a'), ['t02', 't03', 't04', 't05', 't08']],
  ['notContains on strings includes missing', f('body', 'notContains', 'o'), ['t03', 't04', 't06', 't07', 't08']],
  ['in', f('owner', 'in', ['ada', 'carol']), ['t01', 't02', 't05', 't06', 't08']],
  ['in on ints', f('priority', 'in', [0, 5]), ['t04', 't05']],
  ['in on booleans', f('done', 'in', [true]), ['t02', 't04', 't07']],
  ['in an empty list', f('owner', 'in', []), []],
  ['notIn includes missing', f('owner', 'notIn', ['ada', 'bob']), ['t04', 't06']],
  ['notIn an empty list', f('priority', 'notIn', []), ALL],
  ['not', not(f('owner', 'eq', 'ada')), ['t03', 't04', 't06', 't07']],
  ['not over a null-skipping operator', not(f('priority', 'gt', 2)), ['t01', 't03', 't05', 't07']],
  ['empty and is true', and(), ALL],
  ['empty or is false', or(), []],
  ['not of empty or', not(or()), ALL],
  ['not of empty and', not(and()), []],
  ['and', and(f('owner', 'eq', 'ada'), f('done', 'eq', false)), ['t01', 't05', 't08']],
  ['or', or(f('owner', 'eq', 'bob'), f('priority', 'ge', 5)), ['t03', 't04', 't07']],
  [
    'and of or and not',
    and(or(f('owner', 'eq', 'ada'), f('owner', 'eq', 'bob')), not(f('done', 'eq', true))),
    ['t01', 't03', 't05', 't08'],
  ],
  ['eq and range on an index', and(f('owner', 'eq', 'ada'), f('updatedAt', 'gt', D1)), ['t02', 't08']],
  ['nested ands', and(and(f('owner', 'eq', 'ada')), and(f('priority', 'ge', 1))), ['t01', 't02', 't08']],
  ['contradiction', and(f('owner', 'eq', 'ada'), f('owner', 'eq', 'bob')), []],
  ['or of ands', or(and(f('owner', 'eq', 'ada'), f('done', 'eq', true)), and(f('owner', 'eq', 'carol'))), ['t02', 't06']],
];

/** [name, query, expected ids in result order]. */
const orderedCases: Array<[string, StorageQuery, string[]]> = [
  ['no sort is key order', {}, ALL],
  ['asc puts null first, ties by key asc', { sort: [asc('priority')] }, ['t03', 't05', 't01', 't07', 't02', 't06', 't08', 't04']],
  ['desc puts null last, ties by key desc', { sort: [desc('priority')] }, ['t04', 't08', 't06', 't02', 't07', 't01', 't05', 't03']],
  [
    'boolean asc then int desc',
    { sort: [asc('done'), desc('priority')] },
    ['t08', 't06', 't01', 't05', 't03', 't04', 't02', 't07'],
  ],
  [
    'missing indexed values sort first',
    { sort: [asc('owner'), desc('updatedAt')] },
    ['t04', 't08', 't02', 't01', 't05', 't07', 't03', 't06'],
  ],
  ['strings by code unit', { sort: [asc('title')] }, ['t06', 't01', 't04', 't02', 't05', 't07', 't03', 't08']],
  ['strings desc', { sort: [desc('title')] }, ['t08', 't03', 't07', 't05', 't02', 't04', 't01', 't06']],
  ['by key desc', { sort: [desc('id')] }, [...ALL].reverse()],
  [
    'three-way tie broken by the last field',
    { sort: [asc('updatedAt'), desc('title')] },
    ['t05', 't01', 't03', 't04', 't08', 't07', 't02', 't06'],
  ],
  ['indexed eq, sort desc', { predicate: f('owner', 'eq', 'ada'), sort: [desc('updatedAt')] }, ['t08', 't02', 't01', 't05']],
  ['indexed eq, sort asc (missing first)', { predicate: f('owner', 'eq', 'ada'), sort: [asc('updatedAt')] }, ['t05', 't01', 't02', 't08']],
  ['indexed eq, sort desc, limit', { predicate: f('owner', 'eq', 'ada'), sort: [desc('updatedAt')], limit: 2 }, ['t08', 't02']],
  [
    'indexed eq, sort desc, limit and offset past the indexed part',
    { predicate: f('owner', 'eq', 'ada'), sort: [desc('updatedAt')], limit: 2, offset: 2 },
    ['t01', 't05'],
  ],
  [
    'indexed eq and range, sort desc, limit',
    { predicate: and(f('owner', 'eq', 'ada'), f('updatedAt', 'ge', D2)), sort: [desc('updatedAt')], limit: 1 },
    ['t08'],
  ],
  [
    'indexed eq and beginsWith, sort asc',
    { predicate: and(f('owner', 'eq', 'ada'), f('updatedAt', 'beginsWith', '2024-01-0')), sort: [asc('updatedAt')] },
    ['t01', 't02', 't08'],
  ],
  [
    'indexed eq, residual filter, sort desc, limit',
    { predicate: and(f('owner', 'eq', 'ada'), f('done', 'eq', false)), sort: [desc('updatedAt')], limit: 2 },
    ['t08', 't01'],
  ],
  [
    'indexed eq, sort on both index fields',
    { predicate: f('owner', 'eq', 'ada'), sort: [desc('owner'), desc('updatedAt')] },
    ['t08', 't02', 't01', 't05'],
  ],
  [
    'indexed eq and range, mixed directions with a constant last field',
    { predicate: and(f('owner', 'eq', 'ada'), f('updatedAt', 'ge', D1)), sort: [desc('updatedAt'), asc('owner')] },
    ['t02', 't08', 't01'],
  ],
  ['sort by the indexed pair', { sort: [desc('owner'), desc('updatedAt')] }, ['t06', 't07', 't03', 't08', 't02', 't01', 't05', 't04']],
  ['limit', { limit: 3 }, ['t01', 't02', 't03']],
  ['offset without limit', { offset: 6 }, ['t07', 't08']],
  ['limit 0', { limit: 0 }, []],
  ['offset past the end', { offset: 10 }, []],
  ['offset and limit after sort', { sort: [desc('priority')], offset: 2, limit: 2 }, ['t06', 't02']],
  ['limit past the end', { limit: 100 }, ALL],
  ['predicate, sort and limit', { predicate: f('done', 'eq', false), sort: [asc('title')], limit: 2 }, ['t06', 't01']],
];

const readings: StoredRecord[] = [
  { sensorId: 's1', takenAt: D1, value: 1.5 },
  { sensorId: 's1', takenAt: D2, value: 2.5 },
  { sensorId: 's1', takenAt: D3, value: null },
  { sensorId: 's2', takenAt: D1, value: -1 },
  { sensorId: 's10', takenAt: D2, value: 0 },
];

const rk = (sensorId: string, takenAt: string) => JSON.stringify([sensorId, takenAt]);

/** Predicate operators, sort, limit/offset and composite keys against a fixed data set and the oracle. */
export function describeQueryConformance(create: AdapterFactory, options: StorageConformanceOptions): void {
  describe('query', () => {
    const h = useAdapter(create, options);
    const entries = todos.map((r) => [fixtureKeyOf('Todo', r), r] as const);

    async function run(query: StorageQuery, inWrite: boolean) {
      await seed(h.adapter, 'Todo', todos);
      const result = inWrite
        ? await h.adapter.write((tx) => tx.query('Todo', query))
        : await h.adapter.read((tx) => tx.query('Todo', query));
      return result;
    }

    describe.each(predicateCases)('predicate: %s', (_name, predicate, expected) => {
      it('matches the expected records in key order', async () => {
        expect(oracleQuery(entries, { predicate }).map((r) => r.id)).toEqual(expected);
        const result = await run({ predicate }, false);
        expect(result.map((r) => r.id)).toEqual(expected);
        expect(result).toEqual(oracleQuery(entries, { predicate }));
      });
    });

    describe.each(orderedCases)('order: %s', (_name, query, expected) => {
      it('returns the expected records in order', async () => {
        expect(oracleQuery(entries, query).map((r) => r.id)).toEqual(expected);
        expect((await run(query, false)).map((r) => r.id)).toEqual(expected);
      });
      it('inside a write transaction too', async () => {
        expect((await run(query, true)).map((r) => r.id)).toEqual(expected);
      });
    });

    describe('composite primary key', () => {
      const ids = (rs: StoredRecord[]) => rs.map((r) => `${r.sensorId}@${String(r.takenAt).slice(8, 10)}`);

      it('get, put, delete by the composite key', async () => {
        await seed(h.adapter, 'Reading', readings);
        await h.adapter.write(async (tx) => {
          await tx.delete('Reading', rk('s2', D1));
          await tx.put('Reading', rk('s1', D2), { sensorId: 's1', takenAt: D2, value: 9 });
        });
        await h.adapter.read(async (tx) => {
          expect(await tx.get('Reading', rk('s1', D2))).toEqual({ sensorId: 's1', takenAt: D2, value: 9 });
          expect(await tx.get('Reading', rk('s2', D1))).toBeUndefined();
          expect(await tx.get('Reading', rk('s1', '2030-01-01'))).toBeUndefined();
          expect(await tx.count('Reading')).toBe(4);
        });
      });

      it('no sort is the order of the key strings', async () => {
        await seed(h.adapter, 'Reading', readings);
        const all = await h.adapter.read((tx) => tx.query('Reading', {}));
        expect(ids(all)).toEqual(['s1@01', 's1@02', 's1@03', 's10@02', 's2@01']);
      });

      it('eq on the partition key with a range and sort on the sort key', async () => {
        await seed(h.adapter, 'Reading', readings);
        await h.adapter.read(async (tx) => {
          const s1 = await tx.query('Reading', { predicate: f('sensorId', 'eq', 's1'), sort: [desc('takenAt')] });
          expect(ids(s1)).toEqual(['s1@03', 's1@02', 's1@01']);
          const after = await tx.query('Reading', { predicate: and(f('sensorId', 'eq', 's1'), f('takenAt', 'gt', D1)) });
          expect(ids(after)).toEqual(['s1@02', 's1@03']);
          const latest = await tx.query('Reading', {
            predicate: and(f('sensorId', 'eq', 's1'), f('takenAt', 'le', D2)),
            sort: [desc('takenAt')],
            limit: 1,
          });
          expect(ids(latest)).toEqual(['s1@02']);
          const byValue = await tx.query('Reading', { predicate: f('value', 'ge', 0), sort: [asc('value')] });
          expect(ids(byValue)).toEqual(['s10@02', 's1@01', 's1@02']);
          const keyOrder = await tx.query('Reading', { sort: [asc('sensorId'), asc('takenAt')] });
          expect(ids(keyOrder)).toEqual(['s1@01', 's1@02', 's1@03', 's10@02', 's2@01']);
          const mixed = await tx.query('Reading', { sort: [asc('sensorId'), desc('takenAt')] });
          expect(ids(mixed)).toEqual(['s1@03', 's1@02', 's1@01', 's10@02', 's2@01']);
        });
      });

      it.each<[string, PredicateNode, string[]]>([
        ['le on the partition key', f('sensorId', 'le', 's1'), ['s1@01', 's1@02', 's1@03']],
        ['lt on the partition key', f('sensorId', 'lt', 's2'), ['s1@01', 's1@02', 's1@03', 's10@02']],
        ['gt on the partition key', f('sensorId', 'gt', 's1'), ['s10@02', 's2@01']],
        ['ge on the partition key', f('sensorId', 'ge', 's10'), ['s10@02', 's2@01']],
        ['between on the partition key', f('sensorId', 'between', ['s1', 's10']), ['s1@01', 's1@02', 's1@03', 's10@02']],
        ['beginsWith on the partition key', f('sensorId', 'beginsWith', 's1'), ['s1@01', 's1@02', 's1@03', 's10@02']],
        ['eq on both key fields', and(f('takenAt', 'eq', D2), f('sensorId', 'eq', 's10')), ['s10@02']],
        ['range on the sort key alone', f('takenAt', 'ge', D2), ['s1@02', 's1@03', 's10@02']],
      ])('%s', async (_name, predicate, expected) => {
        await seed(h.adapter, 'Reading', readings);
        await h.adapter.read(async (tx) => {
          const desc1 = await tx.query('Reading', { predicate, sort: [desc('sensorId'), desc('takenAt')] });
          expect(ids(desc1)).toEqual([...expected].reverse());
          const asc1 = await tx.query('Reading', { predicate, sort: [asc('sensorId'), asc('takenAt')], limit: 2 });
          expect(ids(asc1)).toEqual(expected.slice(0, 2));
        });
      });
    });
  });
}
