import { ownProperty, type AuthRule, type ModelDefinition } from '@offgrid/schema';
import { identityClaim, type Identity } from './identity';

export type Operation = 'create' | 'read' | 'update' | 'delete';

function ownerValues(record: Record<string, unknown>, field: string): string[] {
  const v = ownProperty(record, field);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * The caller's groups for a rule: those of the server's groups claim, plus those of the claim the rule
 * names (`groupClaim`, default `cognito:groups`), so a rule written for another identity provider works too.
 */
function callerGroups(identity: Extract<Identity, { kind: 'jwt' }>, claim: string | undefined): string[] {
  const raw = claim ? ownProperty(identity.claims, claim) : undefined;
  if (raw === undefined) return identity.groups;
  const extra = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? [raw] : [];
  return [...identity.groups, ...extra];
}

/** Whether one rule lets `identity` do `operation` on `record` (the stored record, or the new one for create). */
function ruleAllows(rule: AuthRule, identity: Identity, operation: Operation, record: Record<string, unknown> | undefined): boolean {
  if (!rule.operations.includes(operation)) return false;
  switch (rule.allow) {
    case 'public':
      return identity.kind === 'apiKey' && (rule.provider === undefined || rule.provider === 'apiKey');
    case 'private':
      return identity.kind === 'jwt';
    case 'owner': {
      if (identity.kind !== 'jwt' || !record) return false;
      const me = identityClaim(identity, rule.identityClaim);
      const owners = ownerValues(record, rule.ownerField ?? 'owner');
      return me !== undefined && (owners.includes(me) || owners.includes(identity.sub));
    }
    case 'groups': {
      if (identity.kind !== 'jwt') return false;
      const mine = callerGroups(identity, rule.groupClaim);
      if (rule.groups?.some((g) => mine.includes(g))) return true;
      if (rule.groupsField && record) return ownerValues(record, rule.groupsField).some((g) => mine.includes(g));
      return false;
    }
    default:
      return false;
  }
}

/**
 * Whether `identity` may do `operation` on `record` of `model`. A model without `@auth` rules is open to
 * any authenticated caller (API key or token), as AppSync's default mode is. The admin identity (server
 * internals, import tooling) passes every rule.
 *
 * @example
 * if (!isAllowed(model, identity, 'read', record)) skip(record)
 */
export function isAllowed(model: ModelDefinition, identity: Identity, operation: Operation, record?: Record<string, unknown>): boolean {
  if (identity.kind === 'admin') return true;
  if (model.auth.length === 0) return true;
  return model.auth.some((rule) => ruleAllows(rule, identity, operation, record));
}

/** Whether some rule could allow the operation for some record (used to refuse early, before reading). */
export function mayEver(model: ModelDefinition, identity: Identity, operation: Operation): boolean {
  if (identity.kind === 'admin' || model.auth.length === 0) return true;
  return model.auth.some((rule) => {
    if (!rule.operations.includes(operation)) return false;
    if (rule.allow === 'owner' || (rule.allow === 'groups' && rule.groupsField)) return identity.kind === 'jwt';
    return ruleAllows(rule, identity, operation, undefined);
  });
}

/** The owner fields whose value a caller cannot change once set (owner rules; immutable by default). */
export function ownerFields(model: ModelDefinition): string[] {
  return [...new Set(model.auth.filter((r) => r.allow === 'owner').map((r) => r.ownerField ?? 'owner'))];
}

/**
 * Fills owner fields of a new record with the caller's identity, when the caller is only allowed by an
 * owner rule and left them empty (as AppSync does).
 */
export function withDefaultOwner(model: ModelDefinition, identity: Identity, data: Record<string, unknown>): Record<string, unknown> {
  if (identity.kind !== 'jwt') return data;
  const out = { ...data };
  for (const rule of model.auth) {
    if (rule.allow !== 'owner' || !rule.operations.includes('create')) continue;
    const field = rule.ownerField ?? 'owner';
    if ((ownProperty(out, field) ?? null) === null) {
      const me = identityClaim(identity, rule.identityClaim);
      if (me !== undefined) out[field] = ownProperty(model.fields, field)?.isList ? [me] : me;
    }
  }
  return out;
}
