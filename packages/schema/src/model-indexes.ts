import { stringArgument, stringListArgument } from './directive-arguments';
import { type ModelDraft, type ParseContext, upperFirst } from './parse-context';
import type { IndexDefinition } from './types';

/**
 * Reads every `@index` of a model. An unnamed index is called `by<Field>And<SortField>...`,
 * a name that is stable and readable in storage. Index fields may be nullable (Amplify's sparse
 * indexes) but must be single scalars or enums; sort key fields may name the implicit timestamps.
 */
export function applyIndexes(ctx: ParseContext, draft: ModelDraft): void {
  const model = draft.definition;
  const indexes: IndexDefinition[] = [];
  for (const [fieldName, fieldNode] of draft.fieldNodes) {
    for (const directive of fieldNode.directives ?? []) {
      if (directive.name.value !== 'index') continue;
      const owner = `${model.name}.${fieldName}`;
      const sortKeyFields = stringListArgument(ctx, directive, 'sortKeyFields', owner) ?? [];
      const fields = [fieldName, ...sortKeyFields];
      const name = stringArgument(ctx, directive, 'name', owner) ?? `by${fields.map(upperFirst).join('And')}`;
      const queryField = stringArgument(ctx, directive, 'queryField', owner);
      for (const indexField of fields) {
        const field = model.fields[indexField];
        if (!field) {
          ctx.fail(directive, `@index "${name}" on ${owner} names sort key field "${indexField}", which ${model.name} does not have. Declare the field or fix sortKeyFields.`);
        }
        if (field.isList || (field.type.kind !== 'scalar' && field.type.kind !== 'enum')) {
          ctx.fail(directive, `@index "${name}" on ${owner} uses ${model.name}.${indexField}, which is not a single scalar or enum. Index only scalar or enum fields.`);
        }
      }
      if (indexes.some((index) => index.name === name)) {
        ctx.fail(directive, `Model ${model.name} has two indexes named "${name}". Give @index on ${owner} another name.`);
      }
      indexes.push(queryField === undefined ? { name, fields } : { name, fields, queryField });
    }
  }
  model.indexes = indexes;
}
