import {
  type ASTNode,
  type DefinitionNode,
  type EnumTypeDefinitionNode,
  type NameNode,
  GraphQLError,
  Kind,
  type ObjectTypeDefinitionNode,
  Source,
  parse,
} from 'graphql';
import { applyAuthRules } from './auth-rules';
import { checkDirectives } from './directive-catalogue';
import { readDeclaredFields } from './field-definitions';
import { applyJoinModels } from './join-models';
import { applyIndexes } from './model-indexes';
import type { ModelDraft, ParseContext } from './parse-context';
import { applyPrimaryKey } from './primary-key';
import { pluralize } from './pluralize';
import { applyRelations } from './relations';
import { SCALAR_TYPES, isScalarType } from './scalars';
import { SchemaError, schemaErrorAt } from './schema-error';
import { schemaHash } from './schema-hash';
import { applyTimestamps } from './timestamps';
import type { EnumDefinition, FieldDefinition, ModelDefinition, NonModelDefinition, NormalizedSchema } from './types';

/** Options of {@link parseSchema}. */
export interface ParseSchemaOptions {
  /** File name used in error messages; defaults to `schema.graphql`. */
  sourceName?: string;
}

/** Root operation types carry custom resolvers in Amplify; they define no stored data. */
const rootTypes = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Loads an Amplify (Gen 1, transformer v2) `schema.graphql` unchanged and returns the normalized
 * model schema: implicit `id`, timestamps, foreign keys, owner fields and `@manyToMany` join models
 * made explicit, relations resolved, auth rules normalized, and a stable `hash`.
 *
 * @throws {SchemaError} with the line, column and what to change when the SDL is invalid.
 * @example
 * ```ts
 * const schema = parseSchema(`
 *   type Todo @model @auth(rules: [{ allow: owner }]) {
 *     title: String!
 *     done: Boolean @default(value: "false")
 *   }
 * `);
 * schema.models.Todo.fieldOrder; // ['id', 'title', 'done', 'createdAt', 'updatedAt', 'owner']
 * ```
 */
export function parseSchema(sdl: string, options: ParseSchemaOptions = {}): NormalizedSchema {
  const sourceName = options.sourceName ?? 'schema.graphql';
  const ctx: ParseContext = {
    sourceName,
    fail(node: ASTNode | undefined, detail: string): never {
      throw schemaErrorAt(node, sourceName, detail);
    },
    types: new Map(),
    enums: new Map(),
    models: new Map(),
  };

  const definitions = parseDocument(sdl, sourceName);
  const { objects, enumNodes } = registerTypes(ctx, definitions);

  const enums: Record<string, EnumDefinition> = {};
  for (const node of enumNodes) enums[node.name.value] = readEnum(ctx, node);

  const nonModels: Record<string, NonModelDefinition> = {};
  // Later passes add implicit fields and join models in the order they meet models; sorting by
  // name makes the result independent of where types sit in the file.
  const byName = [...objects].sort((a, b) => (a.name.value < b.name.value ? -1 : a.name.value > b.name.value ? 1 : 0));
  for (const node of byName) {
    const name = node.name.value;
    const isModel = ctx.types.get(name) === 'model';
    checkDirectives(ctx, node.directives, isModel ? 'model' : 'nonModel', name);
    const declared = readDeclaredFields(ctx, node, isModel);
    if (!isModel) {
      nonModels[name] = { name, fields: { ...declared.fields }, fieldOrder: declared.fieldOrder };
      continue;
    }
    const definition: ModelDefinition = {
      name,
      pluralName: pluralize(name),
      fields: declared.fields,
      fieldOrder: declared.fieldOrder,
      primaryKey: [],
      managedId: true,
      indexes: [],
      auth: [],
      timestamps: {},
    };
    ctx.models.set(name, {
      definition,
      node,
      fieldNodes: declared.fieldNodes,
      relationDirectives: declared.relationDirectives,
    });
  }

  for (const draft of ctx.models.values()) {
    applyTimestamps(ctx, draft, modelDirectiveOf(draft));
    applyPrimaryKey(ctx, draft);
    applyIndexes(ctx, draft);
  }
  applyJoinModels(ctx);
  applyRelations(ctx);
  applyAuthRules(ctx);

  const models: Record<string, ModelDefinition> = {};
  for (const [modelName, draft] of ctx.models) {
    const definition = draft.definition;
    // Implicit fields were added out of order; readers iterating `fields` expect `fieldOrder`.
    // A plain object again: the schema is plain JSON (runtime lookups by name use ownProperty).
    const fields: Record<string, FieldDefinition> = {};
    for (const name of definition.fieldOrder) {
      const field = definition.fields[name];
      if (field) fields[name] = field;
    }
    definition.fields = fields;
    models[modelName] = definition;
  }
  const body = { formatVersion: 1 as const, models, nonModels, enums };
  return { formatVersion: 1, hash: schemaHash(body), models, nonModels, enums };
}

function parseDocument(sdl: string, sourceName: string): readonly DefinitionNode[] {
  try {
    return parse(new Source(sdl, sourceName)).definitions;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const location = error.locations?.[0] ?? { line: 1, column: 1 };
    const detail = error.message.replace(/^Syntax Error: /, '');
    throw new SchemaError(
      { sourceName, line: location.line, column: location.column },
      `GraphQL syntax error: ${detail} Fix the SDL at this position.`,
    );
  }
}

/**
 * First pass: learns every type name, so fields may refer to types declared further down, and
 * rejects duplicates before anything else looks at the types.
 */
function registerTypes(ctx: ParseContext, definitions: readonly DefinitionNode[]) {
  const objects: ObjectTypeDefinitionNode[] = [];
  const enumNodes: EnumTypeDefinitionNode[] = [];
  const seen = new Map<string, ASTNode>();
  const claim = (name: string, node: ASTNode & { name: NameNode }) => {
    const previous = seen.get(name);
    if (previous) {
      const line = previous.loc ? schemaErrorAt(previous, ctx.sourceName, '').line : undefined;
      ctx.fail(node.name, `Duplicate type name "${name}"${line ? ` (first declared on line ${line})` : ''}. Rename or remove one of them.`);
    }
    if (isScalarType(name)) {
      ctx.fail(node.name, `Type "${name}" has the name of a built-in scalar. Rename the type.`);
    }
    seen.set(name, node);
  };

  for (const definition of definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION: {
        const name = definition.name.value;
        claim(name, definition);
        if (rootTypes.has(name)) {
          ctx.types.set(name, { ignored: 'a root operation type' });
          break;
        }
        const isModel = definition.directives?.some((d) => d.name.value === 'model') ?? false;
        ctx.types.set(name, isModel ? 'model' : 'nonModel');
        objects.push(definition);
        break;
      }
      case Kind.ENUM_TYPE_DEFINITION:
        claim(definition.name.value, definition);
        ctx.types.set(definition.name.value, 'enum');
        enumNodes.push(definition);
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        // Includes `input AMPLIFY { globalAuthRule: ... }`, the Gen 1 sandbox rule, which we ignore.
        claim(definition.name.value, definition);
        ctx.types.set(definition.name.value, { ignored: 'an input type' });
        break;
      case Kind.INTERFACE_TYPE_DEFINITION:
        claim(definition.name.value, definition);
        ctx.types.set(definition.name.value, { ignored: 'an interface' });
        break;
      case Kind.UNION_TYPE_DEFINITION:
        claim(definition.name.value, definition);
        ctx.types.set(definition.name.value, { ignored: 'a union' });
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
        // Schemas printed from AppSync re-declare the AWS scalars; anything else has no storage type.
        if (!isScalarType(definition.name.value)) {
          ctx.fail(definition.name, `Custom scalar "${definition.name.value}" is not supported. Use one of ${SCALAR_TYPES.join(', ')} (AWSJSON holds arbitrary data).`);
        }
        break;
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_EXTENSION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_EXTENSION:
      case Kind.UNION_TYPE_EXTENSION:
        if (definition.kind === Kind.OBJECT_TYPE_EXTENSION && rootTypes.has(definition.name.value)) break;
        ctx.fail(definition, `"extend ${definition.name.value}" is not supported for stored types. Move these fields or values into the declaration of ${definition.name.value}.`);
        break;
      default:
        // Schema definitions and directive definitions describe the API, not stored data.
        break;
    }
  }
  return { objects, enumNodes };
}

function readEnum(ctx: ParseContext, node: EnumTypeDefinitionNode): EnumDefinition {
  const name = node.name.value;
  checkDirectives(ctx, node.directives, 'enum', name);
  const values: string[] = [];
  for (const valueNode of node.values ?? []) {
    const value = valueNode.name.value;
    checkDirectives(ctx, valueNode.directives, 'enumValue', `${name}.${value}`);
    if (values.includes(value)) ctx.fail(valueNode, `Enum ${name} lists ${value} twice. Remove one.`);
    values.push(value);
  }
  if (values.length === 0) ctx.fail(node, `Enum ${name} has no values. Add at least one value.`);
  ctx.enums.set(name, values);
  return { name, values };
}

function modelDirectiveOf(draft: ModelDraft) {
  const directive = draft.node?.directives?.find((d) => d.name.value === 'model');
  if (!directive) throw new Error(`model ${draft.definition.name} has no @model directive`);
  return directive;
}
