import type { ASTNode, DirectiveNode, FieldDefinitionNode, ObjectTypeDefinitionNode } from 'graphql';
import type { FieldDefinition, ModelDefinition } from './types';

/** What a named type in the SDL turned out to be; `ignored` types are skipped on purpose. */
export type TypeKind = 'model' | 'nonModel' | 'enum' | { ignored: string };

/** State shared by the passes of {@link parseSchema}; internal. */
export interface ParseContext {
  sourceName: string;
  /** Throws a SchemaError located at `node`. */
  fail(node: ASTNode | undefined, detail: string): never;
  types: Map<string, TypeKind>;
  enums: Map<string, string[]>;
  models: Map<string, ModelDraft>;
}

/**
 * A model while it is being built: the definition plus the AST nodes that later passes need
 * to place their errors. Implicit fields have no node.
 */
export interface ModelDraft {
  definition: ModelDefinition;
  node: ObjectTypeDefinitionNode | undefined;
  fieldNodes: Map<string, FieldDefinitionNode>;
  /** The relation directive of each relation field, by field name. */
  relationDirectives: Map<string, DirectiveNode>;
  /** For a generated `@manyToMany` join model: the two models it joins. */
  joinSides?: [ModelDraft, ModelDraft];
}

/**
 * Appends (or, for `id`, prepends) a field the SDL did not declare. Returns the existing field
 * if the author declared it themselves, which Amplify also allows.
 */
export function addImplicitField(draft: ModelDraft, field: FieldDefinition, atStart = false): FieldDefinition {
  const existing = draft.definition.fields[field.name];
  if (existing) return existing;
  draft.definition.fields[field.name] = field;
  if (atStart) draft.definition.fieldOrder.unshift(field.name);
  else draft.definition.fieldOrder.push(field.name);
  return field;
}

/** `Blog` -> `blog`, `BlogPost` -> `blogPost`: Amplify's prefix for generated field names. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** `posts` -> `Posts`: joins words in Amplify's generated camelCase names. */
export function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
