import type { FieldDefinition, NormalizedSchema } from '../types';
import { scalarProblem } from './aws-scalars';
import { MANAGED_FIELDS } from './managed-fields';
import { ownProperty } from '../own-property';

/** What is wrong with a record: the field (absent for the record as a whole) and the reason. */
export interface RecordProblem {
  field?: string;
  reason: string;
}

/** Prefixes a nested path: `.street: expected a string`, `[2].street: ...`. */
function atPath(path: string, problem: string): string {
  return /^[.[]/.test(problem) ? `${path}${problem}` : `${path}: ${problem}`;
}

/** Why `value` does not fit `field` (relative to the field; nested paths are prefixed), or undefined. */
function fieldProblem(schema: NormalizedSchema, field: FieldDefinition, value: unknown): string | undefined {
  if (value === null || value === undefined) {
    return field.required ? 'required but missing; give it a value' : undefined;
  }
  if (!field.isList) return valueProblem(schema, field, value);
  if (!Array.isArray(value)) return `expected a list, got ${JSON.stringify(value)}`;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const problem =
      item === null || item === undefined
        ? field.listItemRequired
          ? 'null, but the list items are required (remove the null)'
          : undefined
        : valueProblem(schema, field, item);
    if (problem) return atPath(`[${i}]`, problem);
  }
  return undefined;
}

function valueProblem(schema: NormalizedSchema, field: FieldDefinition, value: unknown): string | undefined {
  const t = field.type;
  switch (t.kind) {
    case 'scalar':
      return scalarProblem(t.name, value);
    case 'enum': {
      const values = ownProperty(schema.enums, t.name)?.values ?? [];
      return typeof value === 'string' && values.includes(value)
        ? undefined
        : `expected one of ${t.name} (${values.join(', ')}), got ${JSON.stringify(value)}`;
    }
    case 'nonModel': {
      const def = ownProperty(schema.nonModels, t.name);
      if (!def || typeof value !== 'object' || value === null || Array.isArray(value)) {
        return `expected a ${t.name} object, got ${JSON.stringify(value)}`;
      }
      for (const key of Object.keys(value)) {
        if (!ownProperty(def.fields, key)) return atPath(`.${key}`, `not a field of ${t.name}; remove it (it has: ${def.fieldOrder.join(', ')})`);
      }
      for (const name of def.fieldOrder) {
        const problem = fieldProblem(schema, def.fields[name]!, ownProperty(value as Record<string, unknown>, name));
        if (problem) return atPath(`.${name}`, problem);
      }
      return undefined;
    }
    case 'model':
      return 'a relation, which is not stored; set its key field instead';
  }
}

/**
 * The first problem of a record against its model (stored fields only; relation fields and managed
 * metadata are skipped), or undefined when it fits. Reasons say what to change.
 *
 * @example
 * recordProblem(schema, 'Todo', { id: '1', title: 42 }) // { field: 'title', reason: 'expected a string, got number 42' }
 */
export function recordProblem(
  schema: NormalizedSchema,
  modelName: string,
  record: Record<string, unknown>,
  options: { partial?: boolean } = {},
): RecordProblem | undefined {
  const model = ownProperty(schema.models, modelName);
  if (!model) return { reason: `unknown model "${modelName}"` };
  for (const key of Object.keys(record)) {
    if (MANAGED_FIELDS.has(key) || ownProperty(model.fields, key)) continue;
    const stored = model.fieldOrder.filter((f) => !model.fields[f]!.relation);
    return { field: key, reason: `unknown field; remove it or add it to the schema (${modelName} has: ${stored.join(', ')})` };
  }
  for (const name of model.fieldOrder) {
    const field = model.fields[name]!;
    if (field.relation) continue;
    if (options.partial && !Object.hasOwn(record, name)) continue;
    if (field.readOnly && (ownProperty(record, name) ?? null) === null) continue;
    const problem = fieldProblem(schema, field, ownProperty(record, name));
    if (problem) return { field: name, reason: problem };
  }
  return undefined;
}
