import type { FieldDefinition, ModelDefinition, NormalizedSchema } from '@offgrid/schema';

const NUMBER = new Set(['Int', 'Float', 'AWSTimestamp']);

/** The TypeScript type of a field's value (without null/optional handling). */
function valueType(field: FieldDefinition): string {
  const t = field.type;
  let base: string;
  if (t.kind === 'scalar') base = NUMBER.has(t.name) ? 'number' : t.name === 'Boolean' ? 'boolean' : 'string';
  else base = t.name;
  if (!field.isList) return base;
  return `readonly ${field.listItemRequired ? base : `(${base} | null)`}[]`;
}

function fieldLine(field: FieldDefinition): string {
  const r = field.relation;
  // A required relation (a join model's two sides) always resolves, as in Amplify's generated types.
  if (r?.kind === 'belongsTo' || r?.kind === 'hasOne') return `  readonly ${field.name}: Promise<${r.model}${field.required ? '' : ' | undefined'}>;`;
  if (r?.kind === 'hasMany') return `  readonly ${field.name}: AsyncCollection<${r.model}>;`;
  if (r?.kind === 'manyToMany') return `  readonly ${field.name}: AsyncCollection<${r.joinModel}>;`;
  const type = valueType(field);
  return field.required && !field.readOnly ? `  readonly ${field.name}: ${type};` : `  readonly ${field.name}?: ${type} | null;`;
}

/** Required key fields of a model's belongsTo/hasOne relations: optional in `new` when the relation is given. */
export function relationKeyFields(model: ModelDefinition): Array<{ key: FieldDefinition; relation: string }> {
  const out: Array<{ key: FieldDefinition; relation: string }> = [];
  for (const name of model.fieldOrder) {
    const r = model.fields[name]!.relation;
    if (r?.kind !== 'belongsTo' && r?.kind !== 'hasOne') continue;
    for (const fk of r.targetNames) {
      const key = model.fields[fk];
      if (key?.required && !model.primaryKey.includes(fk) && !out.some((o) => o.key.name === fk)) out.push({ key, relation: name });
    }
  }
  return out;
}

/** `PostInit`: what `new Post({...})` takes. */
function initType(model: ModelDefinition): string {
  const keys = relationKeyFields(model);
  const doc = `/** What \`new ${model.name}({...})\` takes${keys.length ? `: ${keys.map((k) => `\`${k.key.name}\` may be left out when \`${k.relation}\` is given`).join(', ')}` : ''}. */`;
  if (keys.length === 0) return `${doc}\nexport type ${model.name}Init = ModelInit<${model.name}>;\n`;
  const omitted = keys.map((k) => `'${k.key.name}'`).join(' | ');
  const optional = keys.map((k) => `readonly ${k.key.name}?: ${valueType(k.key)} | null`).join('; ');
  return `${doc}\nexport type ${model.name}Init = Omit<ModelInit<${model.name}>, ${omitted}> & { ${optional} };\n`;
}

/**
 * The type declarations of a schema: a type and a value object per enum, an interface per custom type and
 * model, an init type per model, and the `Models` map. `declarations` writes `.d.ts` text (enum objects
 * declared, not defined).
 */
export function modelTypes(schema: NormalizedSchema, header: string, declarations = false): string {
  const out: string[] = [header, "import type { AsyncCollection, ModelInit } from '@offgrid/core';\n"];
  for (const e of Object.values(schema.enums).sort((a, b) => a.name.localeCompare(b.name))) {
    out.push(`export type ${e.name} = ${e.values.map((v) => `'${v}'`).join(' | ')};\n`);
    if (declarations) out.push(`export declare const ${e.name}: {\n${e.values.map((v) => `  readonly ${v}: '${v}';`).join('\n')}\n};\n`);
    else out.push(`export const ${e.name} = {\n${e.values.map((v) => `  ${v}: '${v}',`).join('\n')}\n} as const;\n`);
  }
  for (const nm of Object.values(schema.nonModels).sort((a, b) => a.name.localeCompare(b.name))) {
    out.push(`export interface ${nm.name} {\n${nm.fieldOrder.map((f) => fieldLine(nm.fields[f]!)).join('\n')}\n}\n`);
  }
  const models = Object.values(schema.models).sort((a, b) => a.name.localeCompare(b.name));
  for (const m of models) {
    const lines = m.fieldOrder.map((f) => fieldLine(m.fields[f]!));
    lines.push('  readonly _version?: number;', '  readonly _lastChangedAt?: number;', '  readonly _deleted?: boolean | null;');
    out.push(`/** The ${m.name} model${m.isJoinModel ? ' (join model of a many-to-many relation)' : ''}. */\nexport interface ${m.name} {\n${lines.join('\n')}\n}\n`);
    out.push(initType(m));
  }
  out.push(`/** Every model of the schema, for \`createDataStore<Models>(...)\`. */\nexport type Models = {\n${models.map((m) => `  ${m.name}: ${m.name};`).join('\n')}\n};\n`);
  return out.join('\n');
}

/** The names the models module exports, sorted. */
export function exportedNames(schema: NormalizedSchema): { models: string[]; enums: string[]; customTypes: string[] } {
  return {
    models: Object.keys(schema.models).sort(),
    enums: Object.keys(schema.enums).sort(),
    customTypes: Object.keys(schema.nonModels).sort(),
  };
}

/** The typed classes the models module hands out: `Post: ModelClass<M.Post, M.PostInit>`, `Location: NonModelConstructor<M.Location>`. */
export function classTypes(schema: NormalizedSchema): string {
  const { models, customTypes } = exportedNames(schema);
  return [...models.map((n) => `  ${n}: ModelClass<M.${n}, M.${n}Init>;`), ...customTypes.map((n) => `  ${n}: NonModelConstructor<M.${n}>;`)].join('\n');
}
