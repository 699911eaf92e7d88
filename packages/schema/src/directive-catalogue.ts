import type { DirectiveNode } from 'graphql';
import { didYouMean } from './closest-name';
import { ownProperty } from './own-property';
import type { ParseContext } from './parse-context';

/** Where a directive sits: on a type, on a field of a `@model`, or on a field of a non-model type. */
export type DirectiveSite = 'model' | 'nonModel' | 'modelField' | 'nonModelField' | 'enum' | 'enumValue';

/** Directives that shape the normalized schema, and where each may appear. */
const effective: Record<string, { sites: DirectiveSite[]; repeatable?: boolean }> = {
  model: { sites: ['model'] },
  // Field-level @auth is accepted and not recorded; see auth-rules.ts.
  auth: { sites: ['model', 'modelField', 'nonModelField'] },
  primaryKey: { sites: ['modelField'] },
  index: { sites: ['modelField'], repeatable: true },
  hasMany: { sites: ['modelField'] },
  hasOne: { sites: ['modelField'] },
  belongsTo: { sites: ['modelField'] },
  manyToMany: { sites: ['modelField'] },
  default: { sites: ['modelField', 'nonModelField'] },
};

/**
 * Amplify directives that drive AppSync resolvers, search or auth modes Offgrid does not need.
 * They are accepted anywhere so an Amplify schema loads unchanged. `aws_auth` is AppSync's own.
 */
const withoutEffect = new Set([
  'aws_subscribe',
  'aws_api_key',
  'aws_iam',
  'aws_cognito_user_pools',
  'aws_oidc',
  'aws_lambda',
  'aws_auth',
  'searchable',
  'function',
  'http',
  'predictions',
  'mapsTo',
  'refersTo',
  'deprecated',
]);

/** Transformer v1 directives: say what replaced them instead of just "unknown". */
const transformerV1: Record<string, string> = {
  key: 'It is from Amplify transformer v1: use @primaryKey for the primary key or @index for a secondary index.',
  connection:
    'It is from Amplify transformer v1: use @hasMany, @hasOne, @belongsTo or @manyToMany instead.',
  versioned: 'It is from Amplify transformer v1 and not needed: Offgrid versions every record (_version). Remove it.',
};

const siteLabel: Record<DirectiveSite, string> = {
  model: 'a @model type',
  nonModel: 'a non-model type',
  modelField: 'a field of a @model type',
  nonModelField: 'a field of a non-model type',
  enum: 'an enum',
  enumValue: 'an enum value',
};

/**
 * Rejects unknown, misplaced or repeated directives. `owner` names the type or field for the
 * message, e.g. `Post.title`.
 */
export function checkDirectives(
  ctx: ParseContext,
  directives: readonly DirectiveNode[] | undefined,
  site: DirectiveSite,
  owner: string,
): void {
  const seen = new Set<string>();
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (withoutEffect.has(name)) continue;
    const rule = ownProperty(effective, name);
    if (!rule) {
      const hint = ownProperty(transformerV1, name) ?? `Remove it or fix the spelling.${didYouMean(name, knownDirectiveNames())}`;
      ctx.fail(directive, `Unknown directive @${name} on ${owner}. ${hint}`);
    }
    if (!rule.sites.includes(site)) {
      const allowed = rule.sites.map((s) => siteLabel[s]).join(' or ');
      ctx.fail(directive, `@${name} cannot be used on ${siteLabel[site]} (${owner}); it belongs on ${allowed}. Move or remove it.`);
    }
    if (seen.has(name) && !rule.repeatable) {
      ctx.fail(directive, `@${name} appears twice on ${owner}. Keep one.`);
    }
    seen.add(name);
  }
}

function knownDirectiveNames(): string[] {
  return [...Object.keys(effective), ...withoutEffect];
}
