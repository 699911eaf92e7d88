import { createHash } from 'node:crypto';
import type { AuthRule, FieldDefinition, ModelDefinition, NonModelDefinition, NormalizedSchema } from '@offgrid/schema';

/** One field of Amplify's model introspection (`models/schema.js`). */
interface IntrospectionField {
  name: string;
  isArray: boolean;
  type: string | { model: string } | { enum: string } | { nonModel: string };
  isRequired: boolean;
  attributes: unknown[];
  isArrayNullable?: boolean;
  isReadOnly?: boolean;
  association?: Record<string, unknown>;
}

function fieldType(field: FieldDefinition, schema: NormalizedSchema): IntrospectionField['type'] {
  const r = field.relation;
  if (r) return { model: r.kind === 'manyToMany' ? r.joinModel : r.model };
  switch (field.type.kind) {
    case 'scalar':
      return field.type.name;
    case 'enum':
      return { enum: field.type.name };
    case 'nonModel':
      return { nonModel: field.type.name };
    case 'model':
      return schema.models[field.type.name] ? { model: field.type.name } : field.type.name;
  }
}

/** Amplify names the child's belongsTo field in `associatedWith` when there is one, else the key fields. */
function associatedWith(schema: NormalizedSchema, parent: string, childName: string, keyFields: string[]): string[] {
  const child = schema.models[childName];
  if (!child) return keyFields;
  const back = child.fieldOrder.find((f) => {
    const r = child.fields[f]!.relation;
    return r?.kind === 'belongsTo' && r.model === parent && JSON.stringify(r.targetNames) === JSON.stringify(keyFields);
  });
  return back ? [back] : keyFields;
}

function association(schema: NormalizedSchema, model: ModelDefinition, field: FieldDefinition): Record<string, unknown> | undefined {
  const r = field.relation;
  if (!r) return undefined;
  switch (r.kind) {
    case 'belongsTo':
      return { connectionType: 'BELONGS_TO', targetNames: r.targetNames };
    case 'hasOne': {
      const target = schema.models[r.model];
      return { connectionType: 'HAS_ONE', associatedWith: target ? target.primaryKey : ['id'], targetNames: r.targetNames };
    }
    case 'hasMany':
      return { connectionType: 'HAS_MANY', associatedWith: associatedWith(schema, model.name, r.model, r.associatedWith) };
    case 'manyToMany':
      return { connectionType: 'HAS_MANY', associatedWith: associatedWith(schema, model.name, r.joinModel, r.associatedWith) };
  }
}

function introspectField(schema: NormalizedSchema, model: ModelDefinition | undefined, field: FieldDefinition): IntrospectionField {
  // Amplify's flags: for a list, `isRequired` is about the items and `isArrayNullable` about the list.
  const out: IntrospectionField = {
    name: field.name,
    isArray: field.isList,
    type: fieldType(field, schema),
    isRequired: field.isList ? field.listItemRequired : field.required,
    attributes: [],
  };
  if (field.isList) out.isArrayNullable = !field.required;
  if (field.readOnly) out.isReadOnly = true;
  const assoc = model ? association(schema, model, field) : undefined;
  if (assoc) out.association = assoc;
  return out;
}

/** An `@auth` rule as Amplify's introspection writes it (provider defaults, `cognito:username` owner claim). */
function authRule(rule: AuthRule): Record<string, unknown> {
  const operations = ['create', 'update', 'delete', 'read'].filter((op) => rule.operations.includes(op as never));
  switch (rule.allow) {
    case 'owner':
      return {
        provider: rule.provider ?? 'userPools',
        ownerField: rule.ownerField ?? 'owner',
        allow: 'owner',
        // `sub` is Offgrid's default claim; Amplify's generated models name `cognito:username`. The server
        // matches an owner by sub, username or `sub::username`, so either works.
        identityClaim: !rule.identityClaim || rule.identityClaim === 'sub' ? 'cognito:username' : rule.identityClaim,
        operations,
      };
    case 'groups':
      return {
        groupClaim: rule.groupClaim ?? 'cognito:groups',
        provider: rule.provider ?? 'userPools',
        allow: 'groups',
        ...(rule.groups ? { groups: rule.groups } : {}),
        ...(rule.groupsField ? { groupsField: rule.groupsField } : {}),
        operations,
      };
    default:
      return { ...(rule.provider ? { provider: rule.provider } : {}), allow: rule.allow, operations };
  }
}

/** Implicit owner fields (added by an owner rule, not declared) are not in Amplify's introspection. */
function implicitOwnerFields(model: ModelDefinition): Set<string> {
  const lastTimestamp = Math.max(...model.fieldOrder.map((f, i) => (model.fields[f]!.readOnly ? i : -1)));
  const owners = model.auth.filter((r) => r.allow === 'owner').map((r) => r.ownerField ?? 'owner');
  return new Set(owners.filter((f) => lastTimestamp >= 0 && model.fieldOrder.indexOf(f) > lastTimestamp));
}

function introspectModel(schema: NormalizedSchema, model: ModelDefinition): Record<string, unknown> {
  const skip = implicitOwnerFields(model);
  const fields: Record<string, IntrospectionField> = {};
  // A many-to-many join model's key fields are optional in Amplify's models (its belongsTo fields are required).
  const joinKeys = new Set(model.isJoinModel ? model.fieldOrder.flatMap((f) => { const r = model.fields[f]!.relation; return r?.kind === 'belongsTo' ? r.targetNames : []; }) : []);
  for (const name of model.fieldOrder) {
    if (skip.has(name)) continue;
    fields[name] = introspectField(schema, model, model.fields[name]!);
    if (joinKeys.has(name)) fields[name]!.isRequired = false;
  }
  const attributes: unknown[] = [{ type: 'model', properties: {} }];
  if (JSON.stringify(model.primaryKey) !== '["id"]') attributes.push({ type: 'key', properties: { fields: model.primaryKey } });
  for (const index of model.indexes) {
    attributes.push({ type: 'key', properties: { name: index.name, fields: index.fields, ...(index.queryField ? { queryField: index.queryField } : {}) } });
  }
  if (model.auth.length > 0) attributes.push({ type: 'auth', properties: { rules: model.auth.map(authRule) } });
  return { name: model.name, fields, syncable: true, pluralName: model.pluralName, attributes };
}

function introspectNonModel(schema: NormalizedSchema, nonModel: NonModelDefinition): Record<string, unknown> {
  const fields: Record<string, IntrospectionField> = {};
  for (const name of nonModel.fieldOrder) fields[name] = introspectField(schema, undefined, nonModel.fields[name]!);
  return { name: nonModel.name, fields };
}

/**
 * Amplify's model introspection, the `schema` object that an Amplify app passes to `initSchema` (what
 * `amplify codegen models` writes to `src/models/schema.js`). `version` is the schema hash: Amplify
 * DataStore clears its local store when it changes.
 */
export function amplifyIntrospection(schema: NormalizedSchema): Record<string, unknown> {
  const models: Record<string, unknown> = {};
  for (const m of Object.values(schema.models)) models[m.name] = introspectModel(schema, m);
  const enums: Record<string, unknown> = {};
  for (const e of Object.values(schema.enums)) enums[e.name] = { name: e.name, values: e.values };
  const nonModels: Record<string, unknown> = {};
  for (const n of Object.values(schema.nonModels)) nonModels[n.name] = introspectNonModel(schema, n);
  return { models, enums, nonModels, codegenVersion: '3.4.4', version: createHash('md5').update(schema.hash).digest('hex') };
}

/**
 * The files `offgrid codegen --target amplify` writes: `schema.js` (the introspection, as Amplify's own
 * codegen writes it), `index.js` (the model constructors from `initSchema`) and `schema.d.ts`.
 */
export function generateAmplifyModels(schema: NormalizedSchema, sourceName: string): Record<string, string> {
  const header = `// Generated by \`offgrid codegen --target amplify\` from ${sourceName}. Do not edit: run the command again.\n`;
  const names = Object.keys(schema.models);
  const enums = Object.keys(schema.enums);
  const embedded = Object.keys(schema.nonModels);
  return {
    'schema.js': `${header}export const schema = ${JSON.stringify(amplifyIntrospection(schema), null, 4)};\n`,
    'schema.d.ts': `${header}import type { Schema } from '@aws-amplify/datastore';\n\nexport declare const schema: Schema;\n`,
    'index.js': [
      header.trimEnd(),
      "import { initSchema } from '@aws-amplify/datastore';",
      "import { schema } from './schema';",
      '',
      ...enums.map((e) => `const ${e} = {\n${schema.enums[e]!.values.map((v) => `  ${v}: '${v}',`).join('\n')}\n};`),
      `const { ${[...names, ...embedded].join(', ')} } = initSchema(schema);`,
      '',
      `export { ${[...enums, ...names, ...embedded].join(', ')} };`,
      '',
    ].join('\n'),
  };
}
