import type { FieldDefinitionNode } from 'graphql';
import { stringListArgument } from './directive-arguments';
import { type ModelDraft, type ParseContext, addImplicitField } from './parse-context';

/**
 * Sets `primaryKey` and `managedId`. Without `@primaryKey` the key is `id: ID!`, added first when
 * undeclared; the store generates it. With `@primaryKey` the key is the marked field plus its sort
 * key fields, all of which must be declared, required scalars or enums, because a record cannot
 * be stored or found without every part of its key.
 */
export function applyPrimaryKey(ctx: ParseContext, draft: ModelDraft): void {
  const model = draft.definition;
  const marked = [...draft.fieldNodes.values()].filter((node) =>
    node.directives?.some((d) => d.name.value === 'primaryKey'),
  );
  const second = marked[1];
  if (second) {
    ctx.fail(
      primaryKeyDirective(second),
      `Model ${model.name} has @primaryKey on both ${marked[0]?.name.value} and ${second.name.value}. Keep one and list the other in sortKeyFields.`,
    );
  }
  const keyNode = marked[0];
  if (!keyNode) {
    applyManagedId(ctx, draft);
    return;
  }
  const directive = primaryKeyDirective(keyNode);
  const partition = keyNode.name.value;
  const sortKeyFields = stringListArgument(ctx, directive, 'sortKeyFields', `${model.name}.${partition}`) ?? [];
  checkKeyField(ctx, draft, partition, keyNode, `the @primaryKey field`);
  for (const sortField of sortKeyFields) {
    if (sortField === partition || sortKeyFields.indexOf(sortField) !== sortKeyFields.lastIndexOf(sortField)) {
      ctx.fail(directive, `@primaryKey on ${model.name}.${partition} lists "${sortField}" twice in its key. Name each key field once.`);
    }
    const sortNode = draft.fieldNodes.get(sortField);
    if (!sortNode) {
      ctx.fail(
        directive,
        `@primaryKey on ${model.name}.${partition} names sort key field "${sortField}", which ${model.name} does not declare. Declare ${sortField} (e.g. ${sortField}: String!) or fix sortKeyFields.`,
      );
    }
    checkKeyField(ctx, draft, sortField, sortNode, 'sort key field');
  }
  model.primaryKey = [partition, ...sortKeyFields];
  model.managedId = false;
  for (const name of model.primaryKey) {
    // A key the client supplies cannot be server-managed, even when it is named like a timestamp.
    const field = model.fields[name];
    if (field) delete field.readOnly;
  }
}

function applyManagedId(ctx: ParseContext, draft: ModelDraft): void {
  const model = draft.definition;
  const declared = model.fields.id;
  if (declared) {
    if (declared.type.kind !== 'scalar' || declared.type.name !== 'ID' || declared.isList) {
      ctx.fail(
        draft.fieldNodes.get('id')?.type,
        `Field ${model.name}.id must be "id: ID!" when the model has no @primaryKey. Change its type, or mark the key field with @primaryKey.`,
      );
    }
    // Amplify makes the managed id non-null whatever the SDL says; so must we, or keys could be missing.
    declared.required = true;
  } else {
    addImplicitField(
      draft,
      { name: 'id', type: { kind: 'scalar', name: 'ID' }, required: true, isList: false, listItemRequired: false },
      true,
    );
  }
  model.primaryKey = ['id'];
  model.managedId = true;
}

function checkKeyField(
  ctx: ParseContext,
  draft: ModelDraft,
  name: string,
  node: FieldDefinitionNode,
  role: string,
): void {
  const field = draft.definition.fields[name];
  const owner = `${draft.definition.name}.${name}`;
  if (!field) return;
  if (field.isList) {
    ctx.fail(node.type, `Field ${owner} is ${role} of ${draft.definition.name} but is a list. Key fields must be single values; change its type.`);
  }
  if (field.type.kind !== 'scalar' && field.type.kind !== 'enum') {
    ctx.fail(node.type, `Field ${owner} is ${role} of ${draft.definition.name} but has type ${field.type.name}. Key fields must be scalars or enums.`);
  }
  if (!field.required) {
    ctx.fail(node.type, `Field ${owner} is ${role} of ${draft.definition.name} but is nullable. Make it required: ${name}: ${field.type.name}!`);
  }
}

function primaryKeyDirective(node: FieldDefinitionNode) {
  const directive = node.directives?.find((d) => d.name.value === 'primaryKey');
  if (!directive) throw new Error('primaryKeyDirective called on a field without @primaryKey');
  return directive;
}
