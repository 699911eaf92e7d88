import { modelKeyOf, type ModelDefinition, type NormalizedSchema } from '@offgrid/schema';
import { ValidationError } from '../errors';
import type { AsyncCollection } from '../predicates/predicate-types';
import { copyRecord } from './copy-of';
import { registerCopier } from './copy-of-any';
import { MANAGED_FIELDS } from './managed-fields';
import { adoptRecord, modelNameOf } from './model-record';
import { validateRecord } from './validate-record';

type NotWritable = '_version' | '_lastChangedAt' | '_deleted' | 'createdAt' | 'updatedAt' | 'id';
type InitValue<V> = NonNullable<V> extends PromiseLike<infer R> ? R | null : V;

/**
 * A record's fields as the user may write them: managed metadata and timestamps are left out, `id` is
 * optional (generated when absent), a `belongsTo`/`hasOne` field takes the related record, and `hasMany`
 * collections are not written from the parent.
 */
export type ModelInit<T> = {
  [K in keyof T as K extends NotWritable ? never : NonNullable<T[K]> extends AsyncCollection<any> | PromiseLike<any> ? never : K]: T[K];
} & {
  [K in keyof T as K extends NotWritable ? never : NonNullable<T[K]> extends PromiseLike<any> ? K : never]?: InitValue<T[K]>;
} & { id?: string };

/** A draft inside `copyOf`: the record's fields, writable. */
export type MutableModel<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A model: construct records with `new`, change them with `copyOf`.
 *
 * @example
 * const { Todo } = initSchema<{ Todo: Todo }>(schema)
 * const todo = new Todo({ title: 'Buy milk', done: false })
 * const done = Todo.copyOf(todo, (d) => { d.done = true })
 */
export interface ModelConstructor<T extends object = Record<string, any>> {
  new (init: ModelInit<T>): T;
  readonly modelName: string;
  readonly definition: ModelDefinition;
  readonly schema: NormalizedSchema;
  copyOf(source: T, mutate: (draft: MutableModel<T>) => void): T;
}

/** The models of a schema, by name. Pass your model types (from codegen) for typed records. */
export type ModelMap<M extends Record<string, object> = Record<string, Record<string, any>>> = {
  [K in keyof M]: ModelConstructor<M[K]>;
};

function randomId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Turns user input into stored fields: relation objects become key fields, a managed id is generated,
 * and anything the store manages is refused.
 */
function fieldsFromInit(schema: NormalizedSchema, model: ModelDefinition, init: Record<string, unknown>): Record<string, unknown> {
  if (typeof init !== 'object' || init === null) {
    throw new ValidationError(model.name, undefined, `expected an object of field values, got ${JSON.stringify(init)}`);
  }
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(init)) {
    const value = (init as Record<string, unknown>)[name];
    const field = model.fields[name];
    if (MANAGED_FIELDS.has(name) || field?.readOnly) {
      throw new ValidationError(model.name, name, 'is managed by the store and server; remove it from the input');
    }
    const relation = field?.relation;
    if (!relation) {
      fields[name] = value;
      continue;
    }
    if (relation.kind === 'belongsTo' || relation.kind === 'hasOne') {
      const target = schema.models[relation.model]!;
      if (value === null || value === undefined) {
        for (const fk of relation.targetNames) fields[fk] = null;
        continue;
      }
      if (typeof value !== 'object' || modelNameOf(value) !== relation.model) {
        throw new ValidationError(model.name, name, `expected a ${relation.model} record, got ${JSON.stringify(value)}`);
      }
      relation.targetNames.forEach((fk, i) => {
        fields[fk] = (value as Record<string, unknown>)[target.primaryKey[i]!];
      });
      continue;
    }
    throw new ValidationError(
      model.name,
      name,
      `is a ${relation.kind} relation; save the related ${relation.model} records with their key field pointing here instead`,
    );
  }
  if (model.managedId && (fields.id === undefined || fields.id === null)) fields.id = randomId();
  return fields;
}

/**
 * Creates the model constructors of a schema. Records are plain frozen objects; `copyOf` makes changed
 * copies and tracks the changed fields.
 *
 * @example
 * const schema = parseSchema(sdl)
 * const { Post, Blog } = initSchema(schema)
 */
export function initSchema<M extends Record<string, object> = Record<string, Record<string, any>>>(
  schema: NormalizedSchema,
): ModelMap<M> {
  const models: Record<string, ModelConstructor> = {};
  for (const model of Object.values(schema.models)) {
    const readOnly = model.fieldOrder.filter((f) => model.fields[f]!.readOnly);
    const kept = [...MANAGED_FIELDS, ...readOnly];
    // `fields` is always a fresh object made for this record, so it becomes the record itself.
    const build = (fields: Record<string, unknown>, keep?: Record<string, unknown>) => {
      if (keep) for (const f of kept) if (keep[f] !== undefined) fields[f] = keep[f];
      validateRecord(schema, model.name, fields);
      modelKeyOf(model, fields);
      return adoptRecord(model, fields);
    };
    // A function, not a class: `new Model(init)` must return the plain frozen record itself.
    const ctor = function (this: unknown, init: Record<string, unknown>) {
      return build(fieldsFromInit(schema, model, init));
    } as unknown as ModelConstructor;
    Object.defineProperties(ctor, {
      name: { value: model.name },
      modelName: { value: model.name },
      definition: { value: model },
      schema: { value: schema },
      copyOf: {
        value: (source: Record<string, unknown>, mutate: (draft: Record<string, unknown>) => void) => {
          if (modelNameOf(source) !== model.name) {
            throw new ValidationError(model.name, undefined, `copyOf() got a ${modelNameOf(source) ?? 'plain object'}, not a ${model.name} record`);
          }
          return copyRecord(source, mutate, {
            normalize: (draft) => fieldsFromInit(schema, model, draft),
            build: (fields) => build(fields, source),
            keyFields: model.primaryKey,
            readOnlyFields: readOnly,
          });
        },
      },
    });
    registerCopier(model.name, ctor.copyOf as never);
    models[model.name] = ctor;
  }
  return models as unknown as ModelMap<M>;
}
