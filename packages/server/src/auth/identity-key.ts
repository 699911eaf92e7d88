import { createHash } from 'node:crypto';
import type { Identity } from './identity';

function sha256(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * A stable, opaque name for the caller, under which per-caller state (applied mutation ids) is kept.
 * A token's caller is its issuer and subject (two identity providers may hand out the same `sub`); an
 * API key's caller is a hash of the key, so the raw key is never stored; the admin identity is one caller.
 *
 * @example
 * identityKey({ kind: 'jwt', sub: 'alice', username: undefined, groups: [], claims: { iss: 'https://idp' } })
 * // 'jwt:3f1c...'
 */
export function identityKey(identity: Identity): string {
  switch (identity.kind) {
    case 'jwt': {
      const iss = identity.claims.iss;
      return `jwt:${sha256([typeof iss === 'string' ? iss : null, identity.sub])}`;
    }
    case 'apiKey':
      return `key:${sha256([identity.apiKey])}`;
    case 'admin':
      return 'admin';
  }
}
