import { SCALAR_TYPES } from '../scalars';
import type { FieldDefinition, ModelDefinition, NormalizedSchema } from '../types';
import { apiNames } from './graphql-api-names';

/** The AppSync filter input type for a field, or undefined when the field cannot be filtered. */
function filterInputType(field: FieldDefinition): string | undefined {
  const t = field.type;
  if (t.kind === 'model' || t.kind === 'nonModel') return undefined;
  if (t.kind === 'enum') return field.isList ? `Model${t.name}ListInput` : `Model${t.name}Input`;
  if (field.isList) return 'ModelStringInput';
  switch (t.name) {
    case 'ID':
      return 'ModelIDInput';
    case 'Int':
    case 'AWSTimestamp':
      return 'ModelIntInput';
    case 'Float':
      return 'ModelFloatInput';
    case 'Boolean':
      return 'ModelBooleanInput';
    default:
      return 'ModelStringInput';
  }
}

function gqlType(field: FieldDefinition, required: boolean, input = false): string {
  const base = input && field.type.kind === 'nonModel' ? `${field.type.name}Input` : field.type.name;
  const inner = field.isList ? `[${base}${field.listItemRequired ? '!' : ''}]` : base;
  return required ? `${inner}!` : inner;
}

function storedFields(model: ModelDefinition): FieldDefinition[] {
  return model.fieldOrder.map((f) => model.fields[f]!).filter((f) => !f.relation);
}

function modelType(schema: NormalizedSchema, model: ModelDefinition): string {
  const lines: string[] = [];
  for (const name of model.fieldOrder) {
    const field = model.fields[name]!;
    const r = field.relation;
    if (!r) {
      const timestamp = name === model.timestamps.createdAt || name === model.timestamps.updatedAt;
      lines.push(`  ${name}: ${gqlType(field, field.required || timestamp)}`);
    } else if (r.kind === 'belongsTo' || r.kind === 'hasOne') {
      lines.push(`  ${name}: ${r.model}`);
    } else {
      const target = r.kind === 'manyToMany' ? r.joinModel : r.model;
      lines.push(`  ${name}(filter: Model${target}FilterInput, limit: Int, nextToken: String): Model${target}Connection`);
    }
  }
  lines.push('  _version: Int!', '  _deleted: Boolean', '  _lastChangedAt: AWSTimestamp!');
  void schema;
  return `type ${model.name} {\n${lines.join('\n')}\n}`;
}

function filterInput(model: ModelDefinition, name: string, withDeleted: boolean): string {
  const lines = storedFields(model)
    .map((f) => [f.name, filterInputType(f)] as const)
    .filter(([, t]) => t !== undefined)
    .map(([n, t]) => `  ${n}: ${t}`);
  if (withDeleted) lines.push('  _deleted: ModelBooleanInput');
  lines.push(`  and: [${name}]`, `  or: [${name}]`, `  not: ${name}`);
  return `input ${name} {\n${lines.join('\n')}\n}`;
}

function mutationInputs(model: ModelDefinition): string[] {
  const n = apiNames(model);
  const key = new Set(model.primaryKey);
  const writable = storedFields(model).filter((f) => !f.readOnly);
  const create = writable.map((f) => `  ${f.name}: ${gqlType(f, f.required && !(model.managedId && f.name === 'id') && f.default === undefined, true)}`);
  const update = writable.map((f) => `  ${f.name}: ${gqlType(f, key.has(f.name), true)}`);
  const del = model.primaryKey.map((k) => `  ${k}: ${gqlType(model.fields[k]!, true)}`);
  const meta = ['  _version: Int', '  _mutationId: ID'];
  return [
    `input ${n.createInput} {\n${[...create, ...meta].join('\n')}\n}`,
    `input ${n.updateInput} {\n${[...update, ...meta].join('\n')}\n}`,
    `input ${n.deleteInput} {\n${[...del, ...meta].join('\n')}\n}`,
  ];
}

const SHARED_INPUTS = `
enum ModelAttributeTypes { binary binarySet bool list map number numberSet string stringSet _null }
enum ModelSortDirection { ASC DESC }
input ModelSizeInput { ne: Int eq: Int le: Int lt: Int ge: Int gt: Int between: [Int] }
input ModelStringInput { ne: String eq: String le: String lt: String ge: String gt: String contains: String notContains: String between: [String] beginsWith: String in: [String] notIn: [String] attributeExists: Boolean attributeType: ModelAttributeTypes size: ModelSizeInput }
input ModelIDInput { ne: ID eq: ID le: ID lt: ID ge: ID gt: ID contains: ID notContains: ID between: [ID] beginsWith: ID in: [ID] notIn: [ID] attributeExists: Boolean attributeType: ModelAttributeTypes size: ModelSizeInput }
input ModelIntInput { ne: Int eq: Int le: Int lt: Int ge: Int gt: Int between: [Int] in: [Int] notIn: [Int] attributeExists: Boolean attributeType: ModelAttributeTypes }
input ModelFloatInput { ne: Float eq: Float le: Float lt: Float ge: Float gt: Float between: [Float] in: [Float] notIn: [Float] attributeExists: Boolean attributeType: ModelAttributeTypes }
input ModelBooleanInput { ne: Boolean eq: Boolean in: [Boolean] notIn: [Boolean] attributeExists: Boolean attributeType: ModelAttributeTypes }

"""One queued change in a batched push (Offgrid): the model, the operation, its payload as JSON."""
input OffgridMutationInput {
  mutationId: ID!
  model: String!
  operation: OffgridOperation!
  """The create/update/delete input as JSON: key fields, changed fields and _version."""
  input: AWSJSON!
  condition: AWSJSON
}
enum OffgridOperation { CREATE UPDATE DELETE }
type OffgridMutationError { errorType: String! message: String! data: AWSJSON }
type OffgridMutationResult {
  mutationId: ID!
  """The record as the server holds it after the mutation, as JSON (null when rejected)."""
  record: AWSJSON
  error: OffgridMutationError
}
`;

/**
 * Generates the AppSync-shaped GraphQL API of a schema: per model `getX`, `listXs`, `syncXs`, `createX`,
 * `updateX`, `deleteX`, `onCreateX`/`onUpdateX`/`onDeleteX`, the filter and condition inputs Amplify sends,
 * and Offgrid's batched `pushMutations`. The server executes it; the client builds its documents from it.
 *
 * @example
 * const sdl = generateGraphQLApi(parseSchema(modelSdl))
 */
export function generateGraphQLApi(schema: NormalizedSchema): string {
  const parts: string[] = [];
  for (const scalar of SCALAR_TYPES) {
    if (!['ID', 'String', 'Int', 'Float', 'Boolean'].includes(scalar)) parts.push(`scalar ${scalar}`);
  }
  parts.push(SHARED_INPUTS.trim());
  for (const e of Object.values(schema.enums).sort((a, b) => a.name.localeCompare(b.name))) {
    parts.push(`enum ${e.name} { ${e.values.join(' ')} }`);
    parts.push(`input Model${e.name}Input { eq: ${e.name} ne: ${e.name} in: [${e.name}] notIn: [${e.name}] }`);
    parts.push(`input Model${e.name}ListInput { eq: [${e.name}] ne: [${e.name}] contains: ${e.name} notContains: ${e.name} }`);
  }
  for (const nm of Object.values(schema.nonModels).sort((a, b) => a.name.localeCompare(b.name))) {
    const fields = nm.fieldOrder.map((f) => `  ${f}: ${gqlType(nm.fields[f]!, nm.fields[f]!.required)}`);
    parts.push(`type ${nm.name} {\n${fields.join('\n')}\n}`);
    const inputs = nm.fieldOrder.map((f) => `  ${f}: ${gqlType(nm.fields[f]!, nm.fields[f]!.required, true)}`);
    parts.push(`input ${nm.name}Input {\n${inputs.join('\n')}\n}`);
  }
  const queries: string[] = [];
  const mutations: string[] = [];
  const subscriptions: string[] = [];
  const models = Object.values(schema.models).sort((a, b) => a.name.localeCompare(b.name));
  for (const model of models) {
    const n = apiNames(model);
    parts.push(modelType(schema, model));
    parts.push(`type ${n.connection} {\n  items: [${model.name}]!\n  nextToken: String\n  startedAt: AWSTimestamp\n  """Offgrid: true when this sync is a full sync; records the client holds that it did not return are gone."""\n  isFullSync: Boolean\n  """Offgrid: on the first page of a sync, how many records the whole sync hands out, when the server can tell it exactly (null otherwise)."""\n  total: Int\n}`);
    parts.push(filterInput(model, n.filterInput, true));
    parts.push(filterInput(model, n.conditionInput, false));
    parts.push(filterInput(model, n.subscriptionFilterInput, false));
    parts.push(...mutationInputs(model));
    const keyArgs = model.primaryKey.map((k) => `${k}: ${gqlType(model.fields[k]!, true)}`).join(', ');
    queries.push(`  ${n.get}(${keyArgs}): ${model.name}`);
    queries.push(`  ${n.list}(filter: ${n.filterInput}, limit: Int, nextToken: String): ${n.connection}`);
    queries.push(`  ${n.sync}(filter: ${n.filterInput}, limit: Int, nextToken: String, lastSync: AWSTimestamp): ${n.connection}`);
    mutations.push(`  ${n.create}(input: ${n.createInput}!, condition: ${n.conditionInput}): ${model.name}`);
    mutations.push(`  ${n.update}(input: ${n.updateInput}!, condition: ${n.conditionInput}): ${model.name}`);
    mutations.push(`  ${n.delete}(input: ${n.deleteInput}!, condition: ${n.conditionInput}): ${model.name}`);
    const ownerArgs = [...new Set(model.auth.filter((r) => r.allow === 'owner').map((r) => r.ownerField ?? 'owner'))].map((f) => `, ${f}: String`).join('');
    for (const op of [n.onCreate, n.onUpdate, n.onDelete]) {
      subscriptions.push(`  ${op}(filter: ${n.subscriptionFilterInput}${ownerArgs}): ${model.name}`);
    }
  }
  mutations.push('  """Offgrid: applies queued changes in order, each with its own result."""\n  pushMutations(mutations: [OffgridMutationInput!]!): [OffgridMutationResult!]!');
  parts.push(`type Query {\n${queries.join('\n')}\n}`);
  parts.push(`type Mutation {\n${mutations.join('\n')}\n}`);
  parts.push(`type Subscription {\n${subscriptions.join('\n')}\n}`);
  return `${parts.join('\n\n')}\n`;
}
