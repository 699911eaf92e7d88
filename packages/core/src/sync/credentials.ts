import { decodeJwt } from 'jose';
import { SyncAuthError } from '../errors';
import type { AuthProvider } from './auth-providers';
import type { SyncAuth } from './sync-options';

/** The credentials at one moment: what can be sent, and who they say the caller is. */
export interface CredentialSnapshot {
  apiKey: string | undefined;
  /** The signed-in user's token; undefined when nobody is signed in. */
  token: string | undefined;
  /** The token's `sub` claim (read, not verified: the server verifies). */
  subject: string | undefined;
  /** Changes exactly when the caller changes: another key, another subject, a sign-in or sign-out. */
  identityKey: string;
}

/**
 * The caller changed between the engine's check and a request (a sign-out, another user): the request is
 * not sent, so nothing queued under one identity goes out under another. The engine handles it at once.
 */
export class IdentityChangedError extends SyncAuthError {
  constructor() {
    super('The signed-in user changed; the request was not sent under the new identity.');
  }
}

/** The token's subject, or undefined for a token that is not a JWT (an opaque token keeps one identity). */
function subjectOf(token: string): string | undefined {
  try {
    const sub = decodeJwt(token.replace(/^Bearer\s+/i, '')).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the configured credentials (an API key, a token provider, or both) and turns a chosen provider into
 * request headers. Both may be configured at once; which one a request uses is chosen per model and
 * operation by {@link authProvidersFor}.
 *
 * @example
 * const credentials = new Credentials({ apiKey: 'da2-key', token: async () => session?.idToken })
 * await credentials.headers('token') // { authorization: '<jwt>' }
 */
export class Credentials {
  /** When set, requests refuse to go out under any other identity (see {@link IdentityChangedError}). */
  pinned: string | undefined;

  constructor(private readonly auth: SyncAuth) {}

  /** A token provider is configured: there are users whose local data must not mix. */
  get hasToken(): boolean {
    return this.auth.token !== undefined;
  }

  /** The API key is configured. */
  get hasApiKey(): boolean {
    return this.auth.apiKey !== undefined;
  }

  /** The current key, token and identity. */
  async snapshot(): Promise<CredentialSnapshot> {
    const { apiKey: key, token: tokenProvider } = this.auth;
    const apiKey = typeof key === 'function' ? await key() : key;
    const raw = tokenProvider ? await tokenProvider() : undefined;
    const token = typeof raw === 'string' && raw.trim() !== '' ? raw : undefined;
    const subject = token ? subjectOf(token) : undefined;
    const identityKey = `${apiKey ? `key:${apiKey}` : ''}|${token ? `user:${subject ?? '(opaque token)'}` : 'signed-out'}`;
    return { apiKey, token, subject, identityKey };
  }

  /** The provider a request uses when nothing model-specific decides: the user's token if signed in, else the key. */
  static defaultProvider(snapshot: CredentialSnapshot): AuthProvider {
    return snapshot.token !== undefined || snapshot.apiKey === undefined ? 'token' : 'apiKey';
  }

  /** Headers for `provider` (default: {@link Credentials.defaultProvider}). */
  async headers(provider?: AuthProvider): Promise<Record<string, string>> {
    const snapshot = await this.snapshot();
    if (this.pinned !== undefined && snapshot.identityKey !== this.pinned) throw new IdentityChangedError();
    const chosen = provider ?? Credentials.defaultProvider(snapshot);
    if (chosen === 'apiKey' && snapshot.apiKey !== undefined) return { 'x-api-key': snapshot.apiKey };
    if (snapshot.token !== undefined) return { authorization: snapshot.token };
    if (snapshot.apiKey !== undefined) return { 'x-api-key': snapshot.apiKey };
    throw new SyncAuthError('No credentials to sync with: nobody is signed in (the token provider returned nothing) and no apiKey is configured.');
  }
}
