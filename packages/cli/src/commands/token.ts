import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { UsageError } from './usage-error';

export const TOKEN_USAGE = `Usage: offgrid token --sub <user> [options]

Prints a development JWT (HS256) that \`offgrid serve\` accepts when it runs with the same secret.

  --sub <user>           the user id (the "sub" claim; @auth owner rules compare it) (required)
  --group <name>         a group of the user (repeatable; the "cognito:groups" claim)
  --jwt-secret <s>       the server's HS256 secret                    [OFFGRID_JWT_SECRET]
  --expires <time>       lifetime, like 30m, 1h, 7d (default 1h)

Example:
  export OFFGRID_JWT_SECRET=$(node -e "console.log(crypto.randomUUID())")
  offgrid serve --schema schema.graphql &
  offgrid token --sub alice --group Admin
`;

/**
 * Reads the HS256 secret shared by `offgrid serve` and `offgrid token`: the `--jwt-secret` flag, else
 * `OFFGRID_JWT_SECRET`. An empty value (an unset shell variable in `--jwt-secret "$JWT_SECRET"`) is refused,
 * so JWT auth is never silently off.
 *
 * @example
 * readJwtSecret(undefined, { OFFGRID_JWT_SECRET: 's3cret' }) // 's3cret'
 */
export function readJwtSecret(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const fromFlag = flag !== undefined;
  const secret = flag ?? env.OFFGRID_JWT_SECRET;
  if (secret !== undefined && secret.trim() === '') {
    throw new UsageError(
      `${fromFlag ? '--jwt-secret' : 'OFFGRID_JWT_SECRET'} is empty, so no token could ever be verified. ` +
        'Set a secret first, for example: export OFFGRID_JWT_SECRET=$(node -e "console.log(crypto.randomUUID())") ' +
        '(or leave the flag out to run with API keys only).',
    );
  }
  return secret;
}

/**
 * Runs `offgrid token`: mints a development JWT for the server's secret, with the user id in `sub` and
 * groups in `cognito:groups`, and returns it.
 *
 * @example
 * const jwt = await token(['--sub', 'alice', '--group', 'Admin', '--jwt-secret', 's3cret'])
 */
export async function token(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sub: { type: 'string' },
      group: { type: 'string', multiple: true },
      'jwt-secret': { type: 'string' },
      expires: { type: 'string' },
    },
    strict: true,
  });
  if (!values.sub) throw new UsageError(`--sub is required: the user id the token stands for.\n\n${TOKEN_USAGE}`);
  const secret = readJwtSecret(values['jwt-secret'], env);
  if (secret === undefined) {
    throw new UsageError(
      'offgrid token needs the server\'s secret: pass --jwt-secret <s> or set OFFGRID_JWT_SECRET, the same one `offgrid serve` uses.',
    );
  }
  const expires = values.expires ?? '1h';
  if (!/^\d+\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w|week|weeks)$/i.test(expires)) {
    throw new UsageError(`--expires must be a number and a unit, like 30m, 1h or 7d; got "${expires}".`);
  }
  const groups = values.group ?? [];
  return new SignJWT(groups.length > 0 ? { 'cognito:groups': groups } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(values.sub)
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(secret));
}
