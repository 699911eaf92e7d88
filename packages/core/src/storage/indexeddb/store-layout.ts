import type { ModelDefinition, NormalizedSchema } from '@offgrid/schema';

/** Object store holding outbox entries (in-line key `seq`, auto-incremented). */
export const OUTBOX_STORE = '_outbox';
/**
 * Object store holding outbox entries written together in groups, one value per group (in-line key `last`,
 * the group's highest seq). A bulk save writes a few values here instead of one request per entry.
 */
export const OUTBOX_GROUP_STORE = '_outboxGroups';
/** Multi-entry index of `_outboxGroups` on the record key of every entry in a group. */
export const OUTBOX_GROUP_BY_KEY = 'byKey';
/** Object store holding metadata values by name. */
export const META_STORE = '_meta';
/** Outbox index on `[model, key]` for `outboxFor`. */
export const OUTBOX_BY_RECORD = 'byRecord';
/** Metadata key of the schema `prepare` recorded; apart from user names so `setMeta` cannot clobber it. */
export const SCHEMA_META_KEY = 'offgrid:schema';

/** One IndexedDB index over record fields; its key path is the field for one field, else the field list. */
export interface IndexLayout {
  name: string;
  fields: string[];
}

/** The object stores (and their indexes) a schema needs. */
export interface StoreLayout {
  name: string;
  options?: IDBObjectStoreParameters;
  indexes: Array<{ name: string; keyPath: string | string[]; multiEntry?: boolean }>;
}

const STRING_SCALARS = new Set([
  'ID',
  'String',
  'AWSDate',
  'AWSTime',
  'AWSDateTime',
  'AWSEmail',
  'AWSURL',
  'AWSPhone',
  'AWSIPAddress',
]);
const NUMBER_SCALARS = new Set(['Int', 'Float', 'AWSTimestamp']);

/**
 * The kind of IndexedDB key a field's values make, or undefined when they are not valid keys (booleans,
 * JSON, lists, embedded types) and an index over the field would silently leave records out.
 */
export function keyKind(model: ModelDefinition, field: string): 'string' | 'number' | undefined {
  const def = model.fields[field];
  if (!def || def.isList || def.relation) return undefined;
  if (def.type.kind === 'enum') return 'string';
  if (def.type.kind !== 'scalar') return undefined;
  if (STRING_SCALARS.has(def.type.name)) return 'string';
  if (NUMBER_SCALARS.has(def.type.name)) return 'number';
  return undefined;
}

/** The IndexedDB key path of an index over `fields`: `'owner'` or `['owner', 'updatedAt']`. */
export function indexKeyPath(fields: string[]): string | string[] {
  return fields.length === 1 ? (fields[0] as string) : fields;
}

/**
 * Indexes for one model: every `@index` whose fields make valid keys, the composite primary key, and for an
 * `@index` ending in an optional field, the index on its other fields. IndexedDB leaves a record out of an
 * index when any indexed field is missing, so that shorter index is what finds records whose last field is
 * missing (e.g. `owner = X` among todos without `updatedAt`).
 *
 * @example
 * modelIndexes(schema.models.Todo) // [{ name: 'byOwner', fields: ['owner', 'updatedAt'] }, { name: '_prefix:byOwner', fields: ['owner'] }]
 */
export function modelIndexes(model: ModelDefinition): IndexLayout[] {
  const out: IndexLayout[] = [];
  const seen = new Set<string>();
  const add = (name: string, fields: string[]) => {
    const id = JSON.stringify(fields);
    if (seen.has(id) || !fields.every((f) => keyKind(model, f))) return;
    seen.add(id);
    out.push({ name, fields });
  };
  if (model.primaryKey.length > 1) add('_pk', model.primaryKey);
  for (const index of model.indexes) add(index.name, index.fields);
  for (const index of model.indexes) {
    const last = index.fields[index.fields.length - 1];
    if (index.fields.length > 1 && last && !model.fields[last]?.required) {
      add(`_prefix:${index.name}`, index.fields.slice(0, -1));
    }
  }
  return out;
}

/** Every object store the schema needs, with its indexes. */
export function storeLayout(schema: NormalizedSchema | undefined): StoreLayout[] {
  const stores: StoreLayout[] = [
    {
      name: OUTBOX_STORE,
      options: { keyPath: 'seq', autoIncrement: true },
      indexes: [{ name: OUTBOX_BY_RECORD, keyPath: ['model', 'key'] }],
    },
    {
      name: OUTBOX_GROUP_STORE,
      options: { keyPath: 'last' },
      indexes: [{ name: OUTBOX_GROUP_BY_KEY, keyPath: 'keys', multiEntry: true }],
    },
    { name: META_STORE, indexes: [] },
  ];
  for (const model of Object.values(schema?.models ?? {})) {
    stores.push({
      name: model.name,
      indexes: modelIndexes(model).map((i) => ({ name: i.name, keyPath: indexKeyPath(i.fields) })),
    });
  }
  return stores;
}
