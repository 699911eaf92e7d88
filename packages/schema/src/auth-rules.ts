import { type DirectiveNode, Kind, type ObjectValueNode, valueFromASTUntyped } from 'graphql';
import { ownProperty } from './own-property';
import { canonicalJson } from './canonical-json';
import { findArgument } from './directive-arguments';
import { type ModelDraft, type ParseContext, addImplicitField } from './parse-context';
import type { AuthRule } from './types';

type Operation = AuthRule['operations'][number];

const allOperations: Operation[] = ['create', 'read', 'update', 'delete'];

/** Amplify splits `read` into finer operations; Offgrid enforces them together as `read`. */
const operationAliases: Record<string, Operation> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  read: 'read',
  get: 'read',
  list: 'read',
  listen: 'read',
  sync: 'read',
  search: 'read',
};

const strategies = new Set<AuthRule['allow']>(['owner', 'groups', 'public', 'private', 'custom']);

/**
 * Normalizes the model-level `@auth(rules: [...])` of every model, then gives join models the
 * rules of both sides. Field-level `@auth` is accepted and not recorded: Offgrid enforces rules
 * per record. An owner rule adds its owner field (`String`) when the model does not declare it,
 * as Amplify does, and a dynamic groups rule adds its `groupsField` (`[String]`).
 */
export function applyAuthRules(ctx: ParseContext): void {
  for (const draft of ctx.models.values()) {
    if (draft.joinSides) continue;
    const directive = draft.node?.directives?.find((d) => d.name.value === 'auth');
    draft.definition.auth = directive ? readRules(ctx, directive, draft.definition.name) : [];
  }
  for (const draft of ctx.models.values()) {
    if (!draft.joinSides) continue;
    const seen = new Set<string>();
    draft.definition.auth = draft.joinSides
      .flatMap((side) => side.definition.auth)
      .filter((rule) => {
        const key = canonicalJson(rule);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((rule) => ({ ...rule, operations: [...rule.operations], ...(rule.groups ? { groups: [...rule.groups] } : {}) }));
  }
  for (const draft of ctx.models.values()) addRuleFields(draft);
}

function readRules(ctx: ParseContext, directive: DirectiveNode, modelName: string): AuthRule[] {
  const argument = findArgument(directive, 'rules');
  const usage = 'Write e.g. @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]).';
  if (!argument) ctx.fail(directive, `@auth on ${modelName} needs rules. ${usage}`);
  const values = argument.value.kind === Kind.LIST ? argument.value.values : [argument.value];
  return values.map((value) => {
    if (value.kind !== Kind.OBJECT) ctx.fail(value, `Each @auth rule on ${modelName} must be an object. ${usage}`);
    return readRule(ctx, value, modelName);
  });
}

function readRule(ctx: ParseContext, node: ObjectValueNode, modelName: string): AuthRule {
  const raw = valueFromASTUntyped(node) as Record<string, unknown>;
  const allow = raw.allow;
  if (typeof allow !== 'string' || !strategies.has(allow as AuthRule['allow'])) {
    ctx.fail(node, `@auth rule on ${modelName} has allow: ${String(allow)}. Use one of: ${[...strategies].join(', ')}.`);
  }
  const text = (key: string): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') ctx.fail(node, `@auth rule on ${modelName}: ${key} must be a string.`);
    return value;
  };
  const operations = readOperations(ctx, node, raw.operations, modelName);
  const provider = text('provider');
  const rule: AuthRule = { allow: allow as AuthRule['allow'], operations };
  if (allow === 'owner') {
    rule.ownerField = text('ownerField') ?? 'owner';
    rule.identityClaim = text('identityClaim') ?? 'sub';
  }
  if (allow === 'groups') {
    const groups = raw.groups;
    if (groups !== undefined && groups !== null) {
      const list = Array.isArray(groups) ? groups : [groups];
      if (!list.every((g) => typeof g === 'string')) ctx.fail(node, `@auth rule on ${modelName}: groups must be a list of group names, e.g. groups: ["Admin"].`);
      rule.groups = list as string[];
    }
    const groupsField = text('groupsField');
    if (groupsField !== undefined) rule.groupsField = groupsField;
    if (!rule.groups && !rule.groupsField) {
      ctx.fail(node, `@auth groups rule on ${modelName} names no groups. Add groups: ["Admin"] or groupsField: "groups".`);
    }
    rule.groupClaim = text('groupClaim') ?? 'cognito:groups';
  }
  if (provider !== undefined) rule.provider = provider;
  return rule;
}

function readOperations(ctx: ParseContext, node: ObjectValueNode, value: unknown, modelName: string): Operation[] {
  if (value === undefined || value === null) return [...allOperations];
  const list = Array.isArray(value) ? value : [value];
  const found = new Set<Operation>();
  for (const item of list) {
    const operation = typeof item === 'string' ? ownProperty(operationAliases, item) : undefined;
    if (!operation) {
      ctx.fail(node, `@auth rule on ${modelName} has unknown operation ${String(item)}. Use create, read, update, delete (or get, list, listen, sync, search).`);
    }
    found.add(operation);
  }
  return allOperations.filter((operation) => found.has(operation));
}

function addRuleFields(draft: ModelDraft): void {
  for (const rule of draft.definition.auth) {
    if (rule.ownerField) {
      addImplicitField(draft, { name: rule.ownerField, type: { kind: 'scalar', name: 'String' }, required: false, isList: false, listItemRequired: false });
    }
    if (rule.groupsField) {
      addImplicitField(draft, { name: rule.groupsField, type: { kind: 'scalar', name: 'String' }, required: false, isList: true, listItemRequired: false });
    }
  }
}
