import { describe, expect, it } from 'vitest';
import { filterToPredicate, FilterInputError } from './graphql-api/filter-input';
import { ownProperty } from './own-property';
import { parseSchema } from './parse-schema';
import { evaluatePredicate } from './predicates/evaluate-predicate';
import { recordProblem } from './validation/record-problem';

const schema = parseSchema(/* GraphQL */ `
  type Todo @model {
    id: ID!
    title: String!
    address: Address
  }
  type Address {
    street: String
  }
`);
const NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

describe.each(NAMES)('a name every object answers (%s) names nothing', (name) => {
  it('is no model, field or own value', () => {
    expect(ownProperty(schema.models, name)).toBeUndefined();
    expect(ownProperty(schema.models.Todo!.fields, name)).toBeUndefined();
    expect(ownProperty(JSON.parse(`{"${name}": 1}`) as Record<string, number>, name)).toBe(1);
  });

  it('is an unknown model, field and embedded field for record validation', () => {
    expect(recordProblem(schema, name, { id: '1' })).toEqual({ reason: `unknown model "${name}"` });
    expect(recordProblem(schema, 'Todo', JSON.parse(`{"id":"1","title":"t","${name}":"x"}`))?.field).toBe(name);
    expect(recordProblem(schema, 'Todo', JSON.parse(`{"id":"1","title":"t","address":{"${name}":"x"}}`))?.reason).toMatch(`.${name}: not a field of Address`);
  });

  it('is an unknown field in a filter, and a missing value in a predicate', () => {
    expect(() => filterToPredicate(schema.models.Todo!, JSON.parse(`{"${name}":{"eq":1}}`))).toThrow(FilterInputError);
    expect(evaluatePredicate({ type: 'field', field: name, op: 'eq', value: null }, { id: '1' })).toBe(true);
  });
});
