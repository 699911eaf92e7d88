import { type DirectiveNode, type FieldDefinitionNode, Kind, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { nameTable } from './own-property';
import { didYouMean } from './closest-name';
import { defaultValueProblem } from './default-values';
import { checkDirectives } from './directive-catalogue';
import { findArgument } from './directive-arguments';
import type { ParseContext } from './parse-context';
import { SCALAR_TYPES, isScalarType } from './scalars';
import type { FieldDefinition, FieldType } from './types';

const relationDirectiveNames = new Set(['hasMany', 'hasOne', 'belongsTo', 'manyToMany']);

/** Names the sync protocol puts on every record; a schema field with one of them would clash. */
const reservedFieldNames = new Set(['_version', '_deleted', '_lastChangedAt']);

/** The declared fields of an object type, with the AST nodes later passes need for errors. */
export interface DeclaredFields {
  fields: Record<string, FieldDefinition>;
  fieldOrder: string[];
  fieldNodes: Map<string, FieldDefinitionNode>;
  relationDirectives: Map<string, DirectiveNode>;
}

/**
 * Reads the fields of a `@model` or non-model type: resolves each type, checks directives and
 * `@default`, rejects duplicates. Relations are only recorded here (the directive node); the
 * relation pass fills them once every model's keys are known.
 */
export function readDeclaredFields(ctx: ParseContext, node: ObjectTypeDefinitionNode, isModel: boolean): DeclaredFields {
  const typeName = node.name.value;
  const result: DeclaredFields = { fields: nameTable(), fieldOrder: [], fieldNodes: new Map(), relationDirectives: new Map() };
  for (const fieldNode of node.fields ?? []) {
    const name = fieldNode.name.value;
    const owner = `${typeName}.${name}`;
    if (result.fieldNodes.has(name)) {
      ctx.fail(fieldNode, `Duplicate field ${owner}. Remove or rename one of the two declarations.`);
    }
    if (reservedFieldNames.has(name)) {
      ctx.fail(fieldNode, `Field ${owner} uses the name ${name}, which Offgrid reserves for sync metadata. Rename the field.`);
    }
    checkDirectives(ctx, fieldNode.directives, isModel ? 'modelField' : 'nonModelField', owner);
    const relationDirective = fieldNode.directives?.find((d) => relationDirectiveNames.has(d.name.value));
    const field = readFieldShape(ctx, fieldNode, owner, relationDirective, isModel);
    readDefault(ctx, fieldNode, field, owner);
    result.fields[name] = field;
    result.fieldOrder.push(name);
    result.fieldNodes.set(name, fieldNode);
    if (relationDirective) result.relationDirectives.set(name, relationDirective);
  }
  return result;
}

function readFieldShape(
  ctx: ParseContext,
  fieldNode: FieldDefinitionNode,
  owner: string,
  relationDirective: DirectiveNode | undefined,
  isModel: boolean,
): FieldDefinition {
  let typeNode: TypeNode = fieldNode.type;
  let required = false;
  let isList = false;
  let listItemRequired = false;
  if (typeNode.kind === Kind.NON_NULL_TYPE) {
    required = true;
    typeNode = typeNode.type;
  }
  if (typeNode.kind === Kind.LIST_TYPE) {
    isList = true;
    typeNode = typeNode.type;
    if (typeNode.kind === Kind.NON_NULL_TYPE) {
      listItemRequired = true;
      typeNode = typeNode.type;
    }
    if (typeNode.kind === Kind.LIST_TYPE) {
      ctx.fail(fieldNode.type, `Field ${owner} is a list of lists, which cannot be stored. Use a single list or AWSJSON.`);
    }
  }
  if (typeNode.kind !== Kind.NAMED_TYPE) {
    ctx.fail(fieldNode.type, `Field ${owner} has an unsupported type. Use a scalar, enum, type or model name.`);
  }
  const type = resolveNamedType(ctx, typeNode.name.value, typeNode, owner);

  if (type.kind === 'model') {
    if (!isModel) {
      ctx.fail(typeNode, `Field ${owner} of a non-model type refers to model ${type.name}. Non-model types are stored inside a record and cannot hold relations; store the key (e.g. ${type.name.charAt(0).toLowerCase()}${type.name.slice(1)}Id: ID) instead.`);
    }
    if (!relationDirective) {
      ctx.fail(fieldNode, `Field ${owner} has model type ${type.name} but no relation directive. Add @hasMany, @hasOne, @belongsTo or @manyToMany, or change its type.`);
    }
  } else if (relationDirective) {
    ctx.fail(relationDirective, `@${relationDirective.name.value} on ${owner} needs a field whose type is a @model, but ${type.name} is not one. Change the field type to a model.`);
  }
  return { name: fieldNode.name.value, type, required, isList, listItemRequired };
}

function resolveNamedType(ctx: ParseContext, name: string, node: TypeNode, owner: string): FieldType {
  if (isScalarType(name)) return { kind: 'scalar', name };
  const kind = ctx.types.get(name);
  if (kind === 'enum' || kind === 'nonModel' || kind === 'model') return { kind, name };
  if (kind) {
    ctx.fail(node, `Field ${owner} has type ${name}, which is ${kind.ignored} and cannot be stored in a record. Use a scalar, enum, type or model.`);
  }
  const candidates = [...SCALAR_TYPES, ...ctx.types.keys()];
  ctx.fail(
    node,
    `Unknown type "${name}" for field ${owner}. Declare it as a type or enum, or fix the spelling (known scalars: ${SCALAR_TYPES.join(', ')}).${didYouMean(name, candidates)}`,
  );
}

function readDefault(ctx: ParseContext, fieldNode: FieldDefinitionNode, field: FieldDefinition, owner: string): void {
  const directive = fieldNode.directives?.find((d) => d.name.value === 'default');
  if (!directive) return;
  const argument = findArgument(directive, 'value');
  if (!argument) ctx.fail(directive, `@default on ${owner} needs a value, e.g. @default(value: "...").`);
  if (argument.value.kind !== Kind.STRING) {
    ctx.fail(argument, `@default on ${owner} must be written as a string, e.g. @default(value: "${printLiteral(argument.value)}").`);
  }
  if (field.isList) ctx.fail(directive, `@default on ${owner} cannot be used on a list field. Remove it.`);
  const value = argument.value.value;
  const problem = defaultValueProblem(field.type, value, ctx.enums);
  if (problem) ctx.fail(argument.value, `@default value "${value}" for ${owner} ${problem}.`);
  field.default = value;
}

function printLiteral(value: { kind: string; value?: unknown }): string {
  return 'value' in value && value.value !== undefined ? String(value.value) : '...';
}
