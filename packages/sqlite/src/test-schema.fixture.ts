import type { FieldDefinition, FieldType, IndexDefinition, ModelDefinition, NormalizedSchema } from '@offgrid/schema';

/** Test-only helpers: a hand-written normalized schema covering every stored field kind. */

export function field(name: string, type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return { name, type, required: false, isList: false, listItemRequired: false, ...extra };
}

export function scalar(name: string, scalarName: Extract<FieldType, { kind: 'scalar' }>['name'], extra: Partial<FieldDefinition> = {}) {
  return field(name, { kind: 'scalar', name: scalarName }, extra);
}

export function model(
  name: string,
  fields: FieldDefinition[],
  options: { primaryKey?: string[]; indexes?: IndexDefinition[] } = {},
): ModelDefinition {
  return {
    name,
    pluralName: `${name}s`,
    fields: Object.fromEntries(fields.map((f) => [f.name, f])),
    fieldOrder: fields.map((f) => f.name),
    primaryKey: options.primaryKey ?? ['id'],
    managedId: !options.primaryKey,
    indexes: options.indexes ?? [],
    auth: [],
    timestamps: {},
  };
}

export function schemaOf(models: ModelDefinition[], hash = 'test'): NormalizedSchema {
  return {
    formatVersion: 1,
    hash,
    models: Object.fromEntries(models.map((m) => [m.name, m])),
    nonModels: {
      Location: {
        name: 'Location',
        fields: { lat: scalar('lat', 'Float'), lng: scalar('lng', 'Float') },
        fieldOrder: ['lat', 'lng'],
      },
    },
    enums: { Status: { name: 'Status', values: ['OPEN', 'DONE'] } },
  };
}

export const todoModel = model(
  'Todo',
  [
    scalar('id', 'ID', { required: true }),
    scalar('title', 'String'),
    scalar('done', 'Boolean'),
    scalar('priority', 'Int'),
    scalar('score', 'Float'),
    scalar('owner', 'String'),
    scalar('updatedAt', 'AWSDateTime'),
    scalar('dueOn', 'AWSDate'),
    scalar('at', 'AWSTime'),
    scalar('stamp', 'AWSTimestamp'),
    scalar('email', 'AWSEmail'),
    scalar('url', 'AWSURL'),
    scalar('phone', 'AWSPhone'),
    scalar('ip', 'AWSIPAddress'),
    scalar('payload', 'AWSJSON'),
    field('status', { kind: 'enum', name: 'Status' }),
    field('location', { kind: 'nonModel', name: 'Location' }),
    scalar('tags', 'String', { isList: true }),
    scalar('counts', 'Int', { isList: true }),
    field('statuses', { kind: 'enum', name: 'Status' }, { isList: true }),
    field('stops', { kind: 'nonModel', name: 'Location' }, { isList: true }),
    field('project', { kind: 'model', name: 'Project' }, { relation: { kind: 'belongsTo', model: 'Project', targetNames: ['projectId'] } }),
    scalar('projectId', 'ID'),
  ],
  { indexes: [{ name: 'byOwner', fields: ['owner', 'updatedAt'], queryField: 'todosByOwner' }] },
);

export const readingModel = model(
  'Reading',
  [scalar('sensorId', 'ID', { required: true }), scalar('takenAt', 'AWSDateTime', { required: true }), scalar('value', 'Float')],
  { primaryKey: ['sensorId', 'takenAt'] },
);

/** Names that would break naive SQL: quotes, keywords, spaces, an injection attempt. */
export const weirdNames = ['we"ird', 'select', 'a b', "x'); DROP TABLE \"Todo\";--", 'Ünïcødé'];

export const weirdModel = model('Order', [scalar('id', 'ID', { required: true }), ...weirdNames.map((n) => scalar(n, 'String'))], {
  indexes: [{ name: 'weird', fields: [weirdNames[0]!, weirdNames[3]!] }],
});

export const testSchema = schemaOf([todoModel, readingModel, weirdModel]);
