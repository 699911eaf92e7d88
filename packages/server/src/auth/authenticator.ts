import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Identity } from './identity';

/** How callers prove who they are. */
export interface AuthOptions {
  /** Accepted API keys (`x-api-key` header): callers with one are `public`. */
  apiKeys?: string[];
  /** JWT verification (`Authorization` header, with or without `Bearer `): callers with a valid token are signed in. */
  jwt?: {
    /** HS256 shared secret. */
    secret?: string;
    /** A JWKS URL (Cognito, Auth0, Keycloak, ...) for RS256/ES256 tokens. */
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    /** The claim carrying the caller's groups (default `cognito:groups`, then `groups`). */
    groupsClaim?: string;
  };
  /** Admin API keys: bypass @auth rules (imports, back-office tools). Never give these to apps. */
  adminApiKeys?: string[];
}

/** A request that carried no usable credentials, or bad ones. */
export class AuthenticationError extends Error {
  readonly errorType = 'UnauthorizedException';
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Turns request headers (HTTP or the real-time handshake) into an {@link Identity}. A token, when present,
 * must verify; an API key must be one of the configured keys.
 *
 * @example
 * const identity = await authenticator.authenticate({ 'x-api-key': 'da2-...' })
 */
export class Authenticator {
  private readonly jwks: JWTVerifyGetKey | undefined;
  private readonly secret: Uint8Array | undefined;

  constructor(private readonly options: AuthOptions) {
    this.jwks = options.jwt?.jwksUrl ? createRemoteJWKSet(new URL(options.jwt.jwksUrl)) : undefined;
    this.secret = options.jwt?.secret ? new TextEncoder().encode(options.jwt.secret) : undefined;
  }

  async authenticate(headers: Record<string, string | string[] | undefined>): Promise<Identity> {
    const auth = headerValue(headers, 'authorization');
    if (auth) return this.verifyToken(auth.replace(/^Bearer\s+/i, '').trim());
    const apiKey = headerValue(headers, 'x-api-key');
    if (apiKey !== undefined) {
      if (this.options.adminApiKeys?.includes(apiKey)) return { kind: 'admin' };
      if (this.options.apiKeys?.includes(apiKey)) return { kind: 'apiKey', apiKey };
      throw new AuthenticationError('The API key is not valid: pass one of the keys the server was started with in x-api-key.');
    }
    throw new AuthenticationError('No credentials: send an API key in x-api-key or a JWT in Authorization.');
  }

  private async verifyToken(token: string): Promise<Identity> {
    if (!this.jwks && !this.secret) {
      throw new AuthenticationError('This server accepts no tokens (no JWT secret or JWKS URL configured); use an API key.');
    }
    let payload: JWTPayload;
    try {
      const verifyOptions = {
        ...(this.options.jwt?.issuer ? { issuer: this.options.jwt.issuer } : {}),
        ...(this.options.jwt?.audience ? { audience: this.options.jwt.audience } : {}),
      };
      ({ payload } = this.jwks ? await jwtVerify(token, this.jwks, verifyOptions) : await jwtVerify(token, this.secret!, verifyOptions));
    } catch (error) {
      const code = (error as { code?: string }).code;
      const why = code === 'ERR_JWT_EXPIRED' ? 'the token has expired; sign in again' : `the token is not valid (${(error as Error).message})`;
      throw new AuthenticationError(`Unauthorized: ${why}.`);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthenticationError('Unauthorized: the token has no "sub" claim.');
    const claimName = this.options.jwt?.groupsClaim;
    const rawGroups = claimName ? payload[claimName] : (payload['cognito:groups'] ?? payload.groups);
    const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : typeof rawGroups === 'string' ? [rawGroups] : [];
    const username = (payload['cognito:username'] ?? payload.username ?? payload.preferred_username) as string | undefined;
    return { kind: 'jwt', sub: payload.sub, username, groups, claims: payload as Record<string, unknown> };
  }
}
