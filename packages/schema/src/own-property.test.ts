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

describe('SDL naming a prototype property', () => {
  it.each([
    ['a directive', 'type Todo @model @toString { id: ID! }', /Unknown directive @toString on Todo/],
    ['an index sort key', 'type Todo @model { id: ID! a: String @index(sortKeyFields: ["constructor"]) }', /names sort key field "constructor", which Todo does not have/],
    ['a belongsTo key field', 'type A @model { id: ID! b: B @belongsTo(fields: ["constructor"]) } type B @model { id: ID! }', /names field "constructor", which A does not have/],
    ['a hasMany key field', 'type A @model { id: ID! bs: [B] @hasMany(indexName: "x", fields: ["toString"]) } type B @model { id: ID! aId: ID }', /names field "toString", which A does not have/],
    ['an @auth operation', 'type Todo @model @auth(rules: [{ allow: owner, operations: [toString] }]) { id: ID! }', /unknown operation toString/],
  ])('%s is refused with a schema error', (_what, sdl, message) => {
    expect(() => parseSchema(sdl)).toThrow(message);
  });

  it('is an ordinary name for fields, owner fields and models', () => {
    const s = parseSchema(/* GraphQL */ `
      type constructor @model @auth(rules: [{ allow: owner, ownerField: "toString" }]) { id: ID! valueOf: Int }
    `);
    const model = ownProperty(s.models, 'constructor')!;
    expect(model.pluralName).toBe('constructors');
    expect(model.fieldOrder).toEqual(['id', 'valueOf', 'createdAt', 'updatedAt', 'toString']);
    expect(ownProperty(model.fields, 'toString')).toMatchObject({ name: 'toString', type: { kind: 'scalar', name: 'String' } });
  });
});
