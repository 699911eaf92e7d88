/**
 * Who is calling. API-key callers are `public`; JWT callers are signed in (`private`) and carry claims
 * for owner and group rules.
 */
export type Identity =
  | { kind: 'apiKey'; apiKey: string }
  | { kind: 'jwt'; sub: string; username: string | undefined; groups: string[]; claims: Record<string, unknown> }
  | { kind: 'admin' };

/** The owner value a rule compares with: the claim the rule names (default `sub`). */
export function identityClaim(identity: Identity, claim: string | undefined): string | undefined {
  if (identity.kind !== 'jwt') return undefined;
  const name = claim ?? 'sub';
  if (name === 'sub') return identity.sub;
  if (name === 'username' || name === 'cognito:username') return identity.username;
  // Amplify's default `sub::username` owner format.
  if (name === 'sub::username') return identity.username ? `${identity.sub}::${identity.username}` : identity.sub;
  const v = Object.hasOwn(identity.claims, name) ? identity.claims[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}
