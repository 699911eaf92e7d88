import { timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries `Bearer <expected>`, compared in constant time so the token
 * cannot be guessed byte by byte from response times.
 *
 * @example
 * if (!bearerMatches(req.headers.authorization, metricsToken)) reply401()
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}
