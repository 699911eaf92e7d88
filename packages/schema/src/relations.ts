import type { DirectiveNode } from 'graphql';
import { stringArgument, stringListArgument } from './directive-arguments';
import { type ModelDraft, type ParseContext, addImplicitField, lowerFirst, upperFirst } from './parse-context';
import type { FieldDefinition } from './types';

/**
 * Fills `relation` on every `@hasOne`, `@belongsTo` and `@hasMany` field (transformer v2 rules).
 * `@manyToMany` is handled by join-models.ts before this runs.
 *
 * Implicit foreign keys follow Amplify's naming, `<model><Field><KeyField>` in camelCase:
 * - `Blog.posts: [Post] @hasMany` adds `Post.blogPostsId`, unless Post has exactly one
 *   `@belongsTo` to Blog with `fields`, whose fields are then used.
 * - `Comment.post: Post @belongsTo` without `fields` reuses the key of the parent's matching
 *   `@hasMany` (`Post.comments` -> `postCommentsId`) when Post has exactly one argument-less
 *   `@hasMany` to Comment, so both sides share one column; otherwise it adds `commentPostId`.
 * - `User.profile: Profile @hasOne` without `fields` adds `User.userProfileId`.
 * One field per key field of the related model; a composite key `(blogName, createdAt)` gives
 * `blogPostsBlogName` and `blogPostsCreatedAt`. The type copies the key field's type (`ID` for `id`).
 */
export function applyRelations(ctx: ParseContext): void {
  const drafts = [...ctx.models.values()];
  const pending: Array<{ draft: ModelDraft; field: FieldDefinition; directive: DirectiveNode }> = [];
  for (const draft of drafts) {
    for (const [name, directive] of draft.relationDirectives) {
      const field = draft.definition.fields[name];
      if (field) pending.push({ draft, field, directive });
    }
  }
  const byKind = (kind: string) => pending.filter((p) => p.directive.name.value === kind);
  for (const p of byKind('hasOne')) resolveHasOne(ctx, p.draft, p.field, p.directive);
  for (const p of byKind('belongsTo')) resolveBelongsToWithFields(ctx, p.draft, p.field, p.directive);
  for (const p of byKind('hasMany')) resolveHasMany(ctx, p.draft, p.field, p.directive);
  for (const p of byKind('belongsTo')) if (!p.field.relation) resolveBelongsToImplicit(ctx, p.draft, p.field);
}

function related(ctx: ParseContext, field: FieldDefinition): ModelDraft {
  const draft = ctx.models.get(field.type.name);
  if (!draft) throw new Error(`relation target ${field.type.name} was not registered`);
  return draft;
}

function owner(draft: ModelDraft, field: FieldDefinition): string {
  return `${draft.definition.name}.${field.name}`;
}

function requireSingle(ctx: ParseContext, draft: ModelDraft, field: FieldDefinition, directive: DirectiveNode): void {
  if (field.isList) {
    ctx.fail(directive, `@${directive.name.value} on ${owner(draft, field)} needs a single model, but the field is a list. Use @hasMany for lists, or change the type to ${field.type.name}.`);
  }
}

/** Checks that `fields` name stored fields of `draft` and match the related key in number. */
function checkLocalFields(
  ctx: ParseContext,
  draft: ModelDraft,
  field: FieldDefinition,
  directive: DirectiveNode,
  fields: string[],
  keyLength: number,
  keyDescription: string,
): void {
  for (const name of fields) {
    const local = draft.definition.fields[name];
    if (!local || local.relation || local.type.kind === 'model') {
      ctx.fail(directive, `@${directive.name.value} on ${owner(draft, field)} names field "${name}", which ${draft.definition.name} does not have. Declare ${name}: ID (or the key's type) on ${draft.definition.name}, or fix fields.`);
    }
  }
  if (fields.length !== keyLength) {
    ctx.fail(directive, `@${directive.name.value} on ${owner(draft, field)} lists ${fields.length} field(s) but ${keyDescription} has ${keyLength}. List one field per key field, in key order.`);
  }
}

function implicitKeyFields(draft: ModelDraft, prefix: string, keyModel: ModelDraft): string[] {
  return keyModel.definition.primaryKey.map((keyName) => {
    const keyField = keyModel.definition.fields[keyName];
    const type = keyField?.type.kind === 'enum' ? keyField.type : keyField?.type.kind === 'scalar' ? keyField.type : ({ kind: 'scalar', name: 'ID' } as const);
    const name = `${prefix}${upperFirst(keyName)}`;
    addImplicitField(draft, { name, type, required: false, isList: false, listItemRequired: false });
    return name;
  });
}

function resolveHasOne(ctx: ParseContext, draft: ModelDraft, field: FieldDefinition, directive: DirectiveNode): void {
  requireSingle(ctx, draft, field, directive);
  const child = related(ctx, field);
  const fields = stringListArgument(ctx, directive, 'fields', owner(draft, field));
  if (fields) {
    checkLocalFields(ctx, draft, field, directive, fields, child.definition.primaryKey.length, `the primary key of ${child.definition.name}`);
    field.relation = { kind: 'hasOne', model: child.definition.name, targetNames: fields };
    return;
  }
  const prefix = `${lowerFirst(draft.definition.name)}${upperFirst(field.name)}`;
  field.relation = { kind: 'hasOne', model: child.definition.name, targetNames: implicitKeyFields(draft, prefix, child) };
}

function resolveBelongsToWithFields(ctx: ParseContext, draft: ModelDraft, field: FieldDefinition, directive: DirectiveNode): void {
  requireSingle(ctx, draft, field, directive);
  const parent = related(ctx, field);
  const fields = stringListArgument(ctx, directive, 'fields', owner(draft, field));
  if (!fields) return;
  checkLocalFields(ctx, draft, field, directive, fields, parent.definition.primaryKey.length, `the primary key of ${parent.definition.name}`);
  field.relation = { kind: 'belongsTo', model: parent.definition.name, targetNames: fields };
}

function resolveHasMany(ctx: ParseContext, draft: ModelDraft, field: FieldDefinition, directive: DirectiveNode): void {
  const where = owner(draft, field);
  if (!field.isList) {
    ctx.fail(directive, `@hasMany on ${where} needs a list type. Write ${field.name}: [${field.type.name}] or use @hasOne.`);
  }
  const child = related(ctx, field);
  const parentModel = draft.definition;
  const indexName = stringArgument(ctx, directive, 'indexName', where);
  const fields = stringListArgument(ctx, directive, 'fields', where);
  if (fields) {
    for (const name of fields) {
      const local = parentModel.fields[name];
      if (!local || local.type.kind === 'model') {
        ctx.fail(directive, `@hasMany on ${where} names field "${name}", which ${parentModel.name} does not have. Use fields from ${parentModel.name} (usually its key, e.g. fields: ["${parentModel.primaryKey[0]}"]).`);
      }
    }
  }
  const keyCount = fields?.length ?? parentModel.primaryKey.length;
  if (indexName !== undefined) {
    const index = child.definition.indexes.find((i) => i.name === indexName);
    if (!index) {
      ctx.fail(directive, `@hasMany on ${where} uses index "${indexName}", but ${child.definition.name} has no index of that name. Add @index(name: "${indexName}") to the ${child.definition.name} field that holds the ${parentModel.name} key, or fix indexName.`);
    }
    if (index.fields.length < keyCount) {
      ctx.fail(directive, `@hasMany on ${where} needs ${keyCount} key field(s) but index "${indexName}" of ${child.definition.name} has ${index.fields.length}. Add sortKeyFields to the index or shorten fields.`);
    }
    field.relation = { kind: 'hasMany', model: child.definition.name, associatedWith: index.fields.slice(0, keyCount) };
    return;
  }
  if (fields) {
    // Without an index Amplify queries the child's primary key with the parent's field values.
    if (child.definition.primaryKey.length < keyCount) {
      ctx.fail(directive, `@hasMany on ${where} lists ${keyCount} field(s) but the primary key of ${child.definition.name} has ${child.definition.primaryKey.length}. Add indexName, or shorten fields.`);
    }
    field.relation = { kind: 'hasMany', model: child.definition.name, associatedWith: child.definition.primaryKey.slice(0, keyCount) };
    return;
  }
  const backReferences = [...child.relationDirectives.entries()].filter(
    ([name, d]) => d.name.value === 'belongsTo' && child.definition.fields[name]?.type.name === parentModel.name,
  );
  const onlyBack = backReferences.length === 1 ? child.definition.fields[backReferences[0]?.[0] ?? ''] : undefined;
  if (onlyBack?.relation?.kind === 'belongsTo') {
    field.relation = { kind: 'hasMany', model: child.definition.name, associatedWith: onlyBack.relation.targetNames };
    return;
  }
  const prefix = `${lowerFirst(parentModel.name)}${upperFirst(field.name)}`;
  field.relation = { kind: 'hasMany', model: child.definition.name, associatedWith: implicitKeyFields(child, prefix, draft) };
}

function resolveBelongsToImplicit(ctx: ParseContext, draft: ModelDraft, field: FieldDefinition): void {
  const parent = related(ctx, field);
  const matching = [...parent.relationDirectives.entries()].filter(([name, d]) => {
    const parentField = parent.definition.fields[name];
    return d.name.value === 'hasMany' && !d.arguments?.some((a) => a.name.value === 'indexName' || a.name.value === 'fields') && parentField?.type.name === draft.definition.name;
  });
  const pair = matching.length === 1 ? parent.definition.fields[matching[0]?.[0] ?? ''] : undefined;
  if (pair?.relation?.kind === 'hasMany') {
    field.relation = { kind: 'belongsTo', model: parent.definition.name, targetNames: pair.relation.associatedWith };
    return;
  }
  const prefix = `${lowerFirst(draft.definition.name)}${upperFirst(field.name)}`;
  field.relation = { kind: 'belongsTo', model: parent.definition.name, targetNames: implicitKeyFields(draft, prefix, parent) };
}
