import { describe, expect, it } from 'vitest';
import { parseSchema } from '../parse-schema';
import { evaluatePredicate } from '../predicates/evaluate-predicate';
import { filterToPredicate, predicateToFilter } from './filter-input';

const model = parseSchema(`type Todo @model { id: ID! title: String! done: Boolean priority: Int }`).models.Todo!;

describe('AppSync filter inputs', () => {
  it('reads fields, several operators (AND), and/or/not', () => {
    const p = filterToPredicate(model, { priority: { ge: 2, lt: 5 }, or: [{ done: { eq: true } }, { title: { beginsWith: 'x' } }], not: { title: { eq: 'xa' } } })!;
    expect(evaluatePredicate(p, { priority: 3, done: true, title: 'b' })).toBe(true);
    expect(evaluatePredicate(p, { priority: 5, done: true, title: 'b' })).toBe(false);
    expect(evaluatePredicate(p, { priority: 3, done: false, title: 'xa' })).toBe(false);
    expect(evaluatePredicate(p, { priority: 3, done: false, title: 'xb' })).toBe(true);
  });

  it('round-trips through predicateToFilter', () => {
    const p = filterToPredicate(model, { and: [{ priority: { between: [1, 3] } }, { title: { in: ['a', 'b'] } }] })!;
    expect(filterToPredicate(model, predicateToFilter(p))).toEqual(p);
  });

  it('rejects unknown fields and operators with the path', () => {
    expect(() => filterToPredicate(model, { colour: { eq: 'x' } })).toThrow(/filter\.colour: Todo has no field "colour"/);
    expect(() => filterToPredicate(model, { title: { like: 'x' } })).toThrow(/filter\.title\.like: unsupported operator/);
    expect(() => filterToPredicate(model, { or: { title: { eq: 'x' } } })).toThrow(/filter\.or must be a list/);
    expect(() => filterToPredicate(model, { priority: { between: [1] } })).toThrow(/between needs a \[low, high\] pair/);
  });
});
