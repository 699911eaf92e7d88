import { describe, expect, it } from 'vitest';
import { parseSchema } from './parse-schema';
import { isAdditiveChange } from './schema-diff';

const base = `
  enum Priority { LOW HIGH }
  type Tag { label: String }
  type Todo @model { title: String!, done: Boolean, priority: Priority, tags: [Tag] }
`;

function diff(next: string) {
  return isAdditiveChange(parseSchema(base), parseSchema(next));
}

describe('isAdditiveChange', () => {
  it('is additive for the same schema', () => {
    expect(diff(base)).toEqual({ additive: true, reasons: [] });
  });

  it.each([
    ['a new model', `${base} type Note @model { text: String }`],
    ['a new optional field', base.replace('done: Boolean', 'done: Boolean, note: String')],
    ['a new required field with a default', base.replace('done: Boolean', 'done: Boolean, rank: Int! @default(value: "0")')],
    ['a new index', base.replace('title: String!', 'title: String! @index(name: "byTitle")')],
    ['a new enum value', base.replace('LOW HIGH', 'LOW MEDIUM HIGH')],
    ['a required field made optional', base.replace('title: String!', 'title: String')],
    ['a new non-model field', base.replace('label: String', 'label: String, color: String')],
  ])('is additive for %s', (_name, next) => {
    expect(diff(next)).toEqual({ additive: true, reasons: [] });
  });

  it.each([
    ['a removed model', 'enum Priority { LOW HIGH } type Tag { label: String } type Note @model { x: String }', 'Model Todo was removed.'],
    ['a removed field', base.replace('done: Boolean,', ''), 'Field Todo.done was removed.'],
    ['a changed type', base.replace('done: Boolean', 'done: String'), 'Field Todo.done changed type from Boolean to String.'],
    ['a field turned into a list', base.replace('done: Boolean', 'done: [Boolean]'), 'Field Todo.done changed type from Boolean to [Boolean].'],
    ['a field made required', base.replace('done: Boolean', 'done: Boolean!'), 'Field Todo.done became required.'],
    ['a new required field', base.replace('done: Boolean', 'done: Boolean, rank: Int!'), 'Model Todo gained required field rank without @default, which existing records lack.'],
    ['a removed enum value', base.replace('LOW HIGH', 'LOW'), 'Enum Priority lost value HIGH.'],
    ['a removed non-model field', base.replace('label: String', 'name: String'), 'Field Tag.label was removed.'],
    [
      'a changed primary key',
      base.replace('title: String!', 'title: String! @primaryKey'),
      'Model Todo primary key changed from (id) to (title).',
    ],
  ])('is not additive for %s', (_name, next, reason) => {
    const result = diff(next);
    expect(result.additive).toBe(false);
    expect(result.reasons).toContain(reason);
  });
});
