import type { FieldDefinition, ModelDefinition, NormalizedSchema, ScalarType } from '@offgrid/schema';

function field(name: string, scalar: ScalarType, options: { required?: boolean; isList?: boolean } = {}): FieldDefinition {
  return {
    name,
    type: { kind: 'scalar', name: scalar },
    required: options.required ?? false,
    isList: options.isList ?? false,
    listItemRequired: false,
  };
}

function model(
  name: string,
  pluralName: string,
  fields: FieldDefinition[],
  primaryKey: string[],
  indexes: ModelDefinition['indexes'] = [],
): ModelDefinition {
  return {
    name,
    pluralName,
    fields: Object.fromEntries(fields.map((f) => [f.name, f])),
    fieldOrder: fields.map((f) => f.name),
    primaryKey,
    managedId: primaryKey.length === 1 && primaryKey[0] === 'id',
    indexes,
    auth: [],
    timestamps: {},
  };
}

const todoFields = [
  field('id', 'ID', { required: true }),
  field('title', 'String', { required: true }),
  field('done', 'Boolean', { required: true }),
  field('priority', 'Int'),
  field('owner', 'String'),
  field('updatedAt', 'AWSDateTime'),
  field('body', 'String'),
  field('tags', 'String', { isList: true }),
];

/** `Todo` as the benchmarks use it, with `@index(name: "byOwner", sortKeyFields: ["updatedAt"])` on owner. */
const todo = model('Todo', 'Todos', todoFields, ['id'], [{ name: 'byOwner', fields: ['owner', 'updatedAt'] }]);

/** A model keyed by `@primaryKey(sortKeyFields: ["takenAt"])` on sensorId: record keys are JSON arrays. */
const reading = model(
  'Reading',
  'Readings',
  [field('sensorId', 'ID', { required: true }), field('takenAt', 'AWSDateTime', { required: true }), field('value', 'Float')],
  ['sensorId', 'takenAt'],
);

/**
 * The schema the storage conformance suite prepares: hand-written so the suite does not depend on the SDL parser.
 */
export const conformanceSchema: NormalizedSchema = {
  formatVersion: 1,
  hash: 'conformance-v1',
  models: { Todo: todo, Reading: reading },
  nonModels: {},
  enums: {},
};

/** `conformanceSchema` plus only additive changes: a new model, a new optional field and a new index on Todo. */
export const conformanceSchemaV2: NormalizedSchema = {
  formatVersion: 1,
  hash: 'conformance-v2',
  models: {
    Todo: model('Todo', 'Todos', [...todoFields, field('note', 'String')], ['id'], [
      { name: 'byOwner', fields: ['owner', 'updatedAt'] },
      { name: 'byPriority', fields: ['priority'] },
    ]),
    Reading: reading,
    Tag: model('Tag', 'Tags', [field('id', 'ID', { required: true }), field('label', 'String', { required: true })], ['id']),
  },
  nonModels: {},
  enums: {},
};

/** The record key the suite uses, matching `modelKeyOf`: the value for one key field, else a JSON array. */
export function fixtureKeyOf(modelName: string, record: Record<string, unknown>): string {
  const m = conformanceSchemaV2.models[modelName];
  if (!m) throw new Error(`fixture schema has no model ${modelName}`);
  const values = m.primaryKey.map((f) => record[f]);
  return values.length === 1 ? String(values[0]) : JSON.stringify(values);
}
