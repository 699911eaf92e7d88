import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { ServerOptionError } from '../errors/server-option-error';
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
    /**
     * Accept tokens without an `exp` claim (off by default: such a token would be valid forever, and a
     * WebSocket opened with it would never be closed).
     */
    allowTokensWithoutExp?: boolean;
    /**
     * How far the issuer's clock may be ahead of or behind this server's, in seconds (default 60): a token
     * issued (`iat`) further in the future is refused, and `exp`/`nbf` get this much leeway.
     */
    clockSkewSeconds?: number;
  };
  /** Admin API keys: bypass @auth rules (imports, back-office tools). Never give these to apps. */
  adminApiKeys?: string[];
}

/** A request that carried no usable credentials, or bad ones. */
export class AuthenticationError extends Error {
  readonly errorType = 'UnauthorizedException';
}

/** How far an issuer's clock may differ from this server's, by default. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

/** Algorithms a JWKS may sign with. HMAC is excluded so a public key can never be used as a shared secret. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Why jose refused a token, in words that tell the caller what to do. */
function refusal(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired; sign in again';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the token signature does not verify; it was not signed by a key this server trusts';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if ((error as { claim?: string }).claim === 'exp') {
        return 'the token has no "exp" claim; issue tokens that expire (or set auth.jwt.allowTokensWithoutExp)';
      }
      return `the token is not valid (${(error as Error).message})`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'the token was signed by a key that is not in the JWKS';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return `the token's signing algorithm is not accepted (${(error as Error).message})`;
    default:
      return `the token is not valid (${(error as Error).message})`;
  }
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

  private readonly clockSkewSeconds: number;

  constructor(private readonly options: AuthOptions) {
    const skew = options.jwt?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
    if (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0) throw new ServerOptionError('auth.jwt.clockSkewSeconds', skew, 'a number of seconds, 0 or more');
    this.clockSkewSeconds = skew;
    this.jwks = options.jwt?.jwksUrl ? createRemoteJWKSet(new URL(options.jwt.jwksUrl)) : undefined;
    this.secret = options.jwt?.secret ? new TextEncoder().encode(options.jwt.secret) : undefined;
  }

  async authenticate(headers: Record<string, string | string[] | undefined>): Promise<Identity> {
    const auth = headerValue(headers, 'authorization');
    if (auth !== undefined && auth.trim() !== '') return this.verifyToken(auth.replace(/^Bearer\s+/i, '').trim());
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
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthenticationError('Unauthorized: the Authorization header is not a JWT; send "Bearer <token>" or the bare token.');
    }
    // Pick the key by the token's algorithm, so a server can trust both a shared secret and a JWKS.
    const hmac = typeof alg === 'string' && alg.startsWith('HS');
    const verifyOptions: JWTVerifyOptions = {
      algorithms: hmac ? ['HS256'] : ASYMMETRIC,
      clockTolerance: this.clockSkewSeconds,
      ...(this.options.jwt?.allowTokensWithoutExp ? {} : { requiredClaims: ['exp'] }),
      ...(this.options.jwt?.issuer ? { issuer: this.options.jwt.issuer } : {}),
      ...(this.options.jwt?.audience ? { audience: this.options.jwt.audience } : {}),
    };
    if (hmac && !this.secret) throw new AuthenticationError(`Unauthorized: the token is signed with ${alg}, but this server verifies tokens with its JWKS only.`);
    if (!hmac && !this.jwks) throw new AuthenticationError(`Unauthorized: the token is signed with ${String(alg)}; this server accepts HS256 tokens signed with its secret only.`);
    let payload: JWTPayload;
    try {
      ({ payload } = hmac ? await jwtVerify(token, this.secret!, verifyOptions) : await jwtVerify(token, this.jwks!, verifyOptions));
    } catch (error) {
      throw new AuthenticationError(`Unauthorized: ${refusal(error)}.`);
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + this.clockSkewSeconds) {
      throw new AuthenticationError(
        `Unauthorized: the token was issued in the future (iat ${payload.iat}), more than ${this.clockSkewSeconds} s ahead of this server's clock (auth.jwt.clockSkewSeconds); check the issuer's clock.`,
      );
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthenticationError('Unauthorized: the token has no "sub" claim; issue tokens with the user id in "sub".');
    const claimName = this.options.jwt?.groupsClaim;
    const rawGroups = claimName ? payload[claimName] : (payload['cognito:groups'] ?? payload.groups);
    const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : typeof rawGroups === 'string' ? [rawGroups] : [];
    const rawName = payload['cognito:username'] ?? payload.username ?? payload.preferred_username;
    const username = typeof rawName === 'string' ? rawName : undefined;
    return { kind: 'jwt', sub: payload.sub, username, groups, claims: payload as Record<string, unknown> };
  }
}
