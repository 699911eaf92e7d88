import { SignJWT } from 'jose';
import { JWT_SECRET } from './test-server';

/** Signs an HS256 token for tests. */
export async function signToken(sub: string, options: { groups?: string[]; expiresIn?: string; secret?: string } = {}): Promise<string> {
  return new SignJWT({ ...(options.groups ? { 'cognito:groups': options.groups } : {}), username: sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}
