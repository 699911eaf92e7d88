import type { ModelDefinition, NormalizedSchema } from '@offgrid/schema';

/** The model a record belongs to, as a hidden (non-enumerable) property that survives freezing. */
export const MODEL_NAME: unique symbol = Symbol.for('offgrid.modelName') as never;

/** Loads a record's related records; the store that read or saved the record provides it. */
export interface RelationLoader {
  loadRelation(model: string, field: string, record: Record<string, unknown>): unknown;
}

const loaders = new WeakMap<object, RelationLoader>();
let defaultLoader: RelationLoader | undefined;

/** Binds a record to the store that holds it, so `await post.blog` knows where to look. */
export function bindRecord(record: object, loader: RelationLoader): void {
  loaders.set(record, loader);
}

/** The store used for relations of records made with `new Model(...)` and not saved yet. */
export function setDefaultRelationLoader(loader: RelationLoader | undefined): void {
  defaultLoader = loader;
}

/** The model name of a record made by Offgrid, or undefined for a plain object. */
export function modelNameOf(record: unknown): string | undefined {
  return typeof record === 'object' && record !== null ? (record as { [MODEL_NAME]?: string })[MODEL_NAME] : undefined;
}

const relationFields = new WeakMap<ModelDefinition, string[]>();

/** A model's relation field names, computed once per model definition. */
function relationFieldsOf(model: ModelDefinition): string[] {
  let names = relationFields.get(model);
  if (!names) relationFields.set(model, (names = model.fieldOrder.filter((f) => model.fields[f]!.relation)));
  return names;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const k in value) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}

/**
 * Whether `fields` already is the record `materializeRecord` would make: frozen, tagged with this model, and
 * (for a model with relations) bound to the same loader. Such a record is shared instead of copied: it
 * cannot change, so every holder sees the same values.
 */
function isMaterialized(model: ModelDefinition, fields: Record<string, unknown>, loader: RelationLoader | undefined): boolean {
  if ((fields as { [MODEL_NAME]?: string })[MODEL_NAME] !== model.name || !Object.isFrozen(fields)) return false;
  return relationFieldsOf(model).length === 0 || (loader !== undefined && loaders.get(fields) === loader);
}

/** Tags, equips and freezes a fresh object in place (the caller gives up its own reference to it). */
function finishRecord(model: ModelDefinition, record: Record<string, unknown>, loader: RelationLoader | undefined): Record<string, unknown> {
  Object.defineProperty(record, MODEL_NAME, { value: model.name, enumerable: false });
  const relations = relationFieldsOf(model);
  for (const name of relations) {
    Object.defineProperty(record, name, {
      enumerable: false,
      get() {
        const bound = loaders.get(record) ?? defaultLoader;
        if (!bound) {
          throw new Error(
            `${model.name}.${name}: this record is not attached to a DataStore yet. Save it, or read it through store.query(), before loading relations.`,
          );
        }
        return bound.loadRelation(model.name, name, record);
      },
    });
  }
  // Only records with relation accessors need to know their store; bulk loads of flat models skip it.
  if (loader && relations.length > 0) bindRecord(record, loader);
  return deepFreeze(record);
}

/**
 * Makes a record from a fresh object the caller owns and will not touch again, without copying it:
 * undefined values are dropped, then it is tagged and frozen. The store's write path builds each new
 * record once this way and stores, announces and returns that one object.
 *
 * @example
 * const record = adoptRecord(schema.models.Todo, { id: 't1', title: 'Milk' }, store)
 */
export function adoptRecord(model: ModelDefinition, fields: Record<string, unknown>, loader?: RelationLoader): Record<string, unknown> {
  for (const k in fields) if (fields[k] === undefined) delete fields[k];
  return finishRecord(model, fields, loader);
}

/**
 * Makes the frozen record object users hold: the stored fields as own enumerable properties, plus
 * non-enumerable relation accessors (`await post.blog`, `post.comments.toArray()`) and the model tag.
 */
export function materializeRecord(
  schema: NormalizedSchema,
  model: ModelDefinition,
  fields: Record<string, unknown>,
  loader?: RelationLoader,
): Record<string, unknown> {
  void schema;
  if (isMaterialized(model, fields, loader)) return fields;
  const record: Record<string, unknown> = {};
  for (const k in fields) {
    const v = fields[k];
    if (v !== undefined) record[k] = v;
  }
  return finishRecord(model, record, loader);
}
