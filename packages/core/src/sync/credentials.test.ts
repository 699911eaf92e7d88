import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { SyncAuthError } from '../errors';
import { Credentials } from './credentials';

const jwt = (sub: string) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).sign(new TextEncoder().encode('k'.repeat(32)));

describe('Credentials', () => {
  it('sends the key or the token as the provider asks, the token by default when signed in', async () => {
    const token = await jwt('alice');
    const c = new Credentials({ apiKey: 'key', token: () => token });
    expect(await c.headers('apiKey')).toEqual({ 'x-api-key': 'key' });
    expect(await c.headers('token')).toEqual({ authorization: token });
    expect(await c.headers()).toEqual({ authorization: token });
  });

  it('falls back to the key when nobody is signed in, and says so when there is nothing to send', async () => {
    expect(await new Credentials({ apiKey: 'key', token: () => undefined }).headers('token')).toEqual({ 'x-api-key': 'key' });
    await expect(new Credentials({ token: async () => undefined }).headers()).rejects.toBeInstanceOf(SyncAuthError);
  });

  it('changes its identity key exactly when the caller changes (subject, sign-in, sign-out, key), not on a token refresh', async () => {
    let token: string | undefined = await jwt('alice');
    const c = new Credentials({ apiKey: 'key', token: () => token });
    const first = await c.snapshot();
    expect(first.subject).toBe('alice');
    token = await jwt('alice');
    expect((await c.snapshot()).identityKey).toBe(first.identityKey);
    token = await jwt('bob');
    expect((await c.snapshot()).identityKey).not.toBe(first.identityKey);
    token = undefined;
    expect((await c.snapshot()).identityKey).not.toBe(first.identityKey);
    expect((await c.snapshot()).subject).toBeUndefined();
  });
});
