import type { DirectiveNode } from 'graphql';
import { nameTable } from './own-property';
import { stringArgument } from './directive-arguments';
import { type ModelDraft, type ParseContext, addImplicitField, lowerFirst, upperFirst } from './parse-context';
import type { FieldDefinition, ModelDefinition } from './types';

interface Side {
  draft: ModelDraft;
  field: FieldDefinition;
  directive: DirectiveNode;
}

/**
 * Generates the join model of each `@manyToMany(relationName: "PostTags")` pair, as Amplify does:
 *
 * ```graphql
 * type PostTags @model {
 *   id: ID!
 *   postId: ID! @index(name: "byPost")
 *   tagId: ID! @index(name: "byTag")
 *   post: Post! @belongsTo(fields: ["postId"])
 *   tag: Tag! @belongsTo(fields: ["tagId"])
 * }
 * ```
 *
 * Key fields are `<modelLowerCamel><KeyField>`, so a composite key gives one field per part.
 * The join model carries the auth rules of both sides, since reading it reveals both.
 * Runs after keys are known and before auth (which adds owner fields to join models too).
 */
export function applyJoinModels(ctx: ParseContext): ModelDraft[] {
  const byRelation = new Map<string, Side[]>();
  for (const draft of ctx.models.values()) {
    for (const [name, directive] of draft.relationDirectives) {
      if (directive.name.value !== 'manyToMany') continue;
      const field = draft.definition.fields[name];
      if (!field) continue;
      const where = `${draft.definition.name}.${name}`;
      if (!field.isList) {
        ctx.fail(directive, `@manyToMany on ${where} needs a list type. Write ${name}: [${field.type.name}].`);
      }
      const relationName = stringArgument(ctx, directive, 'relationName', where);
      if (!relationName) {
        ctx.fail(directive, `@manyToMany on ${where} needs a relationName, e.g. @manyToMany(relationName: "${draft.definition.name}${upperFirst(field.type.name)}s").`);
      }
      const sides = byRelation.get(relationName) ?? [];
      sides.push({ draft, field, directive });
      byRelation.set(relationName, sides);
    }
  }

  const joins: ModelDraft[] = [];
  for (const [relationName, sides] of byRelation) {
    const [a, b, extra] = sides;
    if (!a) continue;
    const where = `${a.draft.definition.name}.${a.field.name}`;
    if (extra) {
      ctx.fail(extra.directive, `relationName "${relationName}" is used by more than two @manyToMany fields. Give each many-to-many relation its own name.`);
    }
    if (!b) {
      ctx.fail(a.directive, `@manyToMany(relationName: "${relationName}") on ${where} has no other side. Add a field with @manyToMany(relationName: "${relationName}") to ${a.field.type.name}.`);
    }
    if (a.field.type.name !== b.draft.definition.name || b.field.type.name !== a.draft.definition.name) {
      ctx.fail(b.directive, `@manyToMany(relationName: "${relationName}") on ${b.draft.definition.name}.${b.field.name} and ${where} do not point at each other. Each side's type must be the other side's model.`);
    }
    if (a.draft === b.draft) {
      ctx.fail(b.directive, `@manyToMany(relationName: "${relationName}") joins ${a.draft.definition.name} to itself, which Amplify does not support. Model the link as its own @model with two @belongsTo fields.`);
    }
    if (ctx.types.has(relationName)) {
      ctx.fail(a.directive, `@manyToMany relationName "${relationName}" on ${where} is also the name of a declared type. Amplify generates a model with that name; rename the relation or the type.`);
    }
    const join = buildJoinModel(relationName, a.draft, b.draft);
    a.field.relation = { kind: 'manyToMany', joinModel: relationName, model: b.draft.definition.name, associatedWith: join.keysOf(a.draft) };
    b.field.relation = { kind: 'manyToMany', joinModel: relationName, model: a.draft.definition.name, associatedWith: join.keysOf(b.draft) };
    ctx.types.set(relationName, 'model');
    ctx.models.set(relationName, join.draft);
    joins.push(join.draft);
  }
  return joins;
}

function buildJoinModel(name: string, a: ModelDraft, b: ModelDraft) {
  const definition: ModelDefinition = {
    name,
    pluralName: name,
    fields: nameTable(),
    fieldOrder: [],
    primaryKey: ['id'],
    managedId: true,
    indexes: [],
    auth: [],
    isJoinModel: true,
    timestamps: { createdAt: 'createdAt', updatedAt: 'updatedAt' },
  };
  const draft: ModelDraft = {
    definition,
    node: undefined,
    fieldNodes: new Map(),
    relationDirectives: new Map(),
    joinSides: [a, b],
  };
  addImplicitField(draft, { name: 'id', type: { kind: 'scalar', name: 'ID' }, required: true, isList: false, listItemRequired: false });
  const keys = new Map<ModelDraft, string[]>();
  for (const side of [a, b]) {
    const prefix = lowerFirst(side.definition.name);
    const fields = side.definition.primaryKey.map((keyName) => {
      const keyField = side.definition.fields[keyName];
      const type = keyField && keyField.type.kind !== 'model' && keyField.type.kind !== 'nonModel' ? keyField.type : ({ kind: 'scalar', name: 'ID' } as const);
      const fieldName = `${prefix}${upperFirst(keyName)}`;
      addImplicitField(draft, { name: fieldName, type, required: true, isList: false, listItemRequired: false });
      return fieldName;
    });
    keys.set(side, fields);
    definition.indexes.push({ name: `by${side.definition.name}`, fields });
  }
  for (const side of [a, b]) {
    addImplicitField(draft, {
      name: lowerFirst(side.definition.name),
      type: { kind: 'model', name: side.definition.name },
      required: true,
      isList: false,
      listItemRequired: false,
      relation: { kind: 'belongsTo', model: side.definition.name, targetNames: keys.get(side) ?? [] },
    });
  }
  for (const timestamp of ['createdAt', 'updatedAt']) {
    addImplicitField(draft, {
      name: timestamp,
      type: { kind: 'scalar', name: 'AWSDateTime' },
      required: false,
      isList: false,
      listItemRequired: false,
      readOnly: true,
    });
  }
  return { draft, keysOf: (side: ModelDraft) => keys.get(side) ?? [] };
}
