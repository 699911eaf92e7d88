import type { AuthRule, ModelDefinition } from '@offgrid/schema';

/** A credential sync can send: the API key (`x-api-key`) or the signed-in user's token (`Authorization`). */
export type AuthProvider = 'apiKey' | 'token';

/** What a request does to a model, as `@auth` rules name it. */
export type AuthOperation = 'read' | 'create' | 'update' | 'delete';

/** The rules' order of preference, as Amplify's MULTI_AUTH strategy: the most specific first. */
const ALLOW_PRIORITY: ReadonlyArray<AuthRule['allow']> = ['owner', 'groups', 'private', 'public'];

/** Which credential a rule is satisfied by, or undefined when Offgrid has none for it (IAM, Lambda). */
function providerOf(rule: AuthRule): AuthProvider | undefined {
  switch (rule.allow) {
    case 'owner':
    case 'groups':
      // Amplify's owner and group rules default to user pools; OIDC tokens are tokens too.
      return !rule.provider || rule.provider === 'userPools' || rule.provider === 'oidc' ? 'token' : undefined;
    case 'private':
      return !rule.provider || rule.provider === 'userPools' || rule.provider === 'oidc' ? 'token' : undefined;
    case 'public':
      return !rule.provider || rule.provider === 'apiKey' ? 'apiKey' : undefined;
    default:
      return undefined;
  }
}

/**
 * The credentials to try for one operation on one model, best first, as Amplify's MULTI_AUTH strategy
 * chooses them: the model's `@auth` rules that allow the operation, in the order owner, groups, private,
 * public; owner/group/private rules are satisfied by the user's token, public ones by the API key. A
 * signed-out user gets only the public providers. When no rule names an available credential, the
 * available ones are returned anyway (the server gives the verdict, and a refusal is reported).
 *
 * @example
 * authProvidersFor(schema.models.Note, 'read', { apiKey: true, signedIn: false }) // ['apiKey']
 */
export function authProvidersFor(model: ModelDefinition, operation: AuthOperation, available: { apiKey: boolean; signedIn: boolean }): AuthProvider[] {
  const usable = (p: AuthProvider) => (p === 'apiKey' ? available.apiKey : available.signedIn);
  const rules = [...model.auth].sort((a, b) => ALLOW_PRIORITY.indexOf(a.allow) - ALLOW_PRIORITY.indexOf(b.allow));
  const chosen: AuthProvider[] = [];
  for (const rule of rules) {
    if (!rule.operations.includes(operation)) continue;
    const provider = providerOf(rule);
    if (provider && usable(provider) && !chosen.includes(provider)) chosen.push(provider);
  }
  if (chosen.length > 0) return chosen;
  const fallback: AuthProvider[] = [];
  if (available.signedIn) fallback.push('token');
  if (available.apiKey) fallback.push('apiKey');
  return fallback;
}
