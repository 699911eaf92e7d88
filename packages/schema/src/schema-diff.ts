import { canonicalJson } from './canonical-json';
import type { FieldDefinition, FieldType, NonModelDefinition, NormalizedSchema } from './types';

/** The verdict of {@link isAdditiveChange}. */
export interface AdditiveChangeResult {
  /** True when data stored under the old schema is still valid under the new one. */
  additive: boolean;
  /** One line per breaking change, naming the model or type and the field. */
  reasons: string[];
}

/**
 * Decides whether a client may keep its local data and outbox across a schema change.
 * Additive: new models, new optional fields (or required ones with a `@default`), new indexes,
 * new enum values, changed auth. Everything else that could make a stored record or a queued
 * write invalid is listed in `reasons`.
 *
 * @example
 * ```ts
 * const { additive, reasons } = isAdditiveChange(parseSchema(oldSdl), parseSchema(newSdl));
 * if (!additive) console.warn(reasons.join('\n'));
 * ```
 */
export function isAdditiveChange(oldSchema: NormalizedSchema, newSchema: NormalizedSchema): AdditiveChangeResult {
  const reasons: string[] = [];

  for (const [name, oldModel] of Object.entries(oldSchema.models)) {
    const newModel = newSchema.models[name];
    if (!newModel) {
      reasons.push(`Model ${name} was removed.`);
      continue;
    }
    if (oldModel.primaryKey.join(',') !== newModel.primaryKey.join(',')) {
      reasons.push(
        `Model ${name} primary key changed from (${oldModel.primaryKey.join(', ')}) to (${newModel.primaryKey.join(', ')}).`,
      );
    }
    compareFields(`Model ${name}`, name, oldModel.fields, newModel.fields, reasons);
  }

  for (const [name, oldType] of Object.entries(oldSchema.nonModels)) {
    const newType: NonModelDefinition | undefined = newSchema.nonModels[name];
    if (!newType) {
      reasons.push(`Type ${name} was removed.`);
      continue;
    }
    compareFields(`Type ${name}`, name, oldType.fields, newType.fields, reasons);
  }

  for (const [name, oldEnum] of Object.entries(oldSchema.enums)) {
    const newEnum = newSchema.enums[name];
    if (!newEnum) {
      reasons.push(`Enum ${name} was removed.`);
      continue;
    }
    for (const value of oldEnum.values) {
      if (!newEnum.values.includes(value)) reasons.push(`Enum ${name} lost value ${value}.`);
    }
  }

  return { additive: reasons.length === 0, reasons };
}

function compareFields(
  owner: string,
  typeName: string,
  oldFields: Record<string, FieldDefinition>,
  newFields: Record<string, FieldDefinition>,
  reasons: string[],
): void {
  for (const [fieldName, oldField] of Object.entries(oldFields)) {
    const field = `${typeName}.${fieldName}`;
    const newField = newFields[fieldName];
    if (!newField) {
      reasons.push(`Field ${field} was removed.`);
      continue;
    }
    if (describeType(oldField) !== describeType(newField)) {
      reasons.push(`Field ${field} changed type from ${describeType(oldField)} to ${describeType(newField)}.`);
    } else if (!oldField.required && newField.required) {
      reasons.push(`Field ${field} became required.`);
    } else if (oldField.isList && !oldField.listItemRequired && newField.listItemRequired) {
      reasons.push(`Field ${field} list items became required.`);
    }
    if (canonicalJson(oldField.relation ?? null) !== canonicalJson(newField.relation ?? null)) {
      reasons.push(`Field ${field} changed its relation.`);
    }
  }
  for (const [fieldName, newField] of Object.entries(newFields)) {
    if (oldFields[fieldName] || !newField.required || newField.default !== undefined || newField.relation) continue;
    reasons.push(
      `${owner} gained required field ${fieldName} without @default, which existing records lack.`,
    );
  }
}

function describeType(field: FieldDefinition): string {
  const name = typeLabel(field.type);
  return field.isList ? `[${name}]` : name;
}

function typeLabel(type: FieldType): string {
  return type.kind === 'scalar' ? type.name : `${type.kind} ${type.name}`;
}
