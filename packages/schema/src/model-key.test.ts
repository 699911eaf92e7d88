import { describe, expect, it } from 'vitest';
import { modelKeyOf } from './model-key';
import { parseSchema } from './parse-schema';
import { RecordKeyError } from './record-key-error';

const { models } = parseSchema(`
  type Todo @model { title: String }
  type Reading @model { sensorId: ID! @primaryKey(sortKeyFields: ["takenAt", "seq"]), takenAt: AWSDateTime!, seq: Int! }
`);

describe('modelKeyOf', () => {
  it('uses the value of a single-field key', () => {
    expect(modelKeyOf(models.Todo!, { id: 'a1', title: 'x' })).toBe('a1');
  });

  it('uses a JSON array for a composite key, in key order', () => {
    expect(modelKeyOf(models.Reading!, { seq: 3, takenAt: '2024-01-01T00:00:00Z', sensorId: 's1' })).toBe(
      '["s1","2024-01-01T00:00:00Z",3]',
    );
  });

  it('throws RecordKeyError when a key field is missing', () => {
    expect(() => modelKeyOf(models.Reading!, { sensorId: 's1', seq: 1 })).toThrow(RecordKeyError);
    expect(() => modelKeyOf(models.Todo!, { id: null })).toThrow(
      'Todo record has no value for primary key field "id". Set Todo.id before saving or looking the record up.',
    );
  });
});
