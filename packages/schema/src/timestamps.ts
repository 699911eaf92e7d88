import type { DirectiveNode } from 'graphql';
import { findArgument, argumentValue } from './directive-arguments';
import { type ModelDraft, type ParseContext, addImplicitField } from './parse-context';

/**
 * Applies `@model(timestamps: ...)`: by default `createdAt` and `updatedAt`; `null` turns them off;
 * an object renames them, and a key set to `null` turns that one off. A missing key keeps its
 * default name, as Amplify does. The server sets these fields, so they are read-only for clients,
 * whether implicit or declared with type AWSDateTime.
 */
export function applyTimestamps(ctx: ParseContext, draft: ModelDraft, modelDirective: DirectiveNode): void {
  const model = draft.definition;
  const names = readTimestampNames(ctx, modelDirective, model.name);
  model.timestamps = {};
  for (const key of ['createdAt', 'updatedAt'] as const) {
    const name = names[key];
    if (name === null) continue;
    model.timestamps[key] = name;
    const declared = model.fields[name];
    if (declared) {
      if (declared.type.kind === 'scalar' && declared.type.name === 'AWSDateTime' && !declared.isList) {
        declared.readOnly = true;
      }
      continue;
    }
    addImplicitField(draft, {
      name,
      type: { kind: 'scalar', name: 'AWSDateTime' },
      required: false,
      isList: false,
      listItemRequired: false,
      readOnly: true,
    });
  }
}

function readTimestampNames(
  ctx: ParseContext,
  directive: DirectiveNode,
  modelName: string,
): { createdAt: string | null; updatedAt: string | null } {
  const value = argumentValue(directive, 'timestamps');
  if (value === undefined) return { createdAt: 'createdAt', updatedAt: 'updatedAt' };
  if (value === null) return { createdAt: null, updatedAt: null };
  const argument = findArgument(directive, 'timestamps');
  const usage = `Write @model(timestamps: null) or @model(timestamps: { createdAt: "created", updatedAt: "updated" }).`;
  if (typeof value !== 'object' || Array.isArray(value)) {
    ctx.fail(argument, `@model(timestamps:) on ${modelName} must be null or an object. ${usage}`);
  }
  const record = value as Record<string, unknown>;
  const pick = (key: 'createdAt' | 'updatedAt'): string | null => {
    const name = record[key];
    if (name === undefined) return key;
    if (name === null || typeof name === 'string') return name;
    ctx.fail(argument, `@model(timestamps: { ${key}: ... }) on ${modelName} must be a field name string or null. ${usage}`);
  };
  return { createdAt: pick('createdAt'), updatedAt: pick('updatedAt') };
}
