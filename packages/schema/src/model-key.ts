import { RecordKeyError } from './record-key-error';
import type { ModelDefinition } from './types';

/**
 * The identity of a record as one string, for maps, outbox entries and storage keys.
 * A single-field key is its value as a string (so `id` keys stay readable); a composite key is
 * the JSON array of its values in key order, which cannot collide with a single value because
 * the model decides which form is used.
 *
 * @throws {RecordKeyError} when a key field is missing, null or undefined.
 * @example
 * ```ts
 * modelKeyOf(schema.models.Todo, { id: 'a1', title: 'x' }); // 'a1'
 * modelKeyOf(schema.models.Reading, { sensorId: 's1', takenAt: '2024-01-01T00:00:00Z' });
 * // '["s1","2024-01-01T00:00:00Z"]'
 * ```
 */
export function modelKeyOf(model: ModelDefinition, record: Record<string, unknown>): string {
  const values = model.primaryKey.map((field) => {
    const value = record[field];
    if (value === undefined || value === null) throw new RecordKeyError(model.name, field);
    return value;
  });
  if (values.length === 1) return String(values[0]);
  return JSON.stringify(values);
}
