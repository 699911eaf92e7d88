import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, type ServerOptions } from '@offgrid/server';
import { loadServeConfig } from './load-config';
import { readJwtSecret } from './token';
import { UsageError } from './usage-error';

/** What `offgrid serve` was asked to do, after reading flags, environment and the config file. */
export interface ServeCommand {
  schemaPath: string;
  database: string;
  pgSchema?: string;
  port: number;
  host: string;
  apiKeys: string[];
  generatedApiKey: boolean;
  jwtSecret?: string;
  jwksUrl?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** A token `GET /metrics` requires (`--metrics-token`). */
  metricsToken?: string;
  /** Serve /metrics on this port only (`--metrics-port`), at `metricsHost` (`--metrics-host`, default 127.0.0.1). */
  metricsPort?: number;
  metricsHost?: string;
  production: boolean;
  /** How long shutdown may take before the process exits anyway (`--shutdown-timeout`, in ms). */
  shutdownTimeoutMs: number;
  /** Extra server options from `--config` (conflict resolvers, limits, auth). */
  config: Partial<ServerOptions>;
}

export const SERVE_USAGE = `Usage: offgrid serve --schema <schema.graphql> [options]

  --schema <file>        GraphQL schema with Amplify directives (required)
  --database <url|file>  postgres://... or a SQLite file (default ./offgrid-data/offgrid.sqlite)
  --pg-schema <name>     PostgreSQL schema for Offgrid's tables (default public) [OFFGRID_PG_SCHEMA]
  --port <n>             port (default 4000; 0 picks a free one)      [PORT]
  --host <addr>          address to listen on (default 127.0.0.1)     [HOST]
  --api-key <key>        accepted API key (repeatable)                [OFFGRID_API_KEYS, comma-separated]
  --jwt-secret <s>       HS256 secret for JWTs                        [OFFGRID_JWT_SECRET]
  --jwks-url <url>       JWKS URL for RS256/ES256 JWTs (Cognito, Auth0, Keycloak)
  --tls-cert <file>      serve HTTPS/WSS with this certificate (PEM)
  --tls-key <file>       ... and this private key (PEM)
  --config <file>        a module exporting server options (conflicts, limits, auth);
                         .js/.mjs, or .ts on Node 22.18+
  --production           introspection off, internal errors hidden
  --metrics-token <t>    /metrics answers only "Authorization: Bearer <t>" (16+ characters)
                                                                      [OFFGRID_METRICS_TOKEN]
  --metrics-port <n>     serve /metrics on this port only (not on --port), so scrapes
                         can stay on a private interface               [OFFGRID_METRICS_PORT]
  --metrics-host <addr>  address of the metrics port (default 127.0.0.1) [OFFGRID_METRICS_HOST]
  --shutdown-timeout <s> seconds SIGTERM/SIGINT may take to finish requests and close WebSockets
                         before the process exits anyway (default 10; a second signal exits at once)
                                                                      [OFFGRID_SHUTDOWN_TIMEOUT]
`;

export { UsageError };

/** Reads `offgrid serve` flags; throws a {@link UsageError} naming the flag and the fix. */
export async function readServeCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<ServeCommand> {
  const { values } = parseArgs({
    args: argv,
    options: {
      schema: { type: 'string' },
      database: { type: 'string' },
      'pg-schema': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      'jwt-secret': { type: 'string' },
      'jwks-url': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      config: { type: 'string' },
      production: { type: 'boolean' },
      'metrics-token': { type: 'string' },
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
      'shutdown-timeout': { type: 'string' },
    },
    strict: true,
  });
  if (!values.schema) throw new UsageError(`--schema is required: pass the path of your schema.graphql.\n\n${SERVE_USAGE}`);
  const portText = values.port ?? env.PORT ?? '4000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${portText}"`);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) throw new UsageError('--tls-cert and --tls-key go together: pass both PEM files, or neither.');
  const fromEnv = env.OFFGRID_API_KEYS?.split(',').map((k) => k.trim()).filter(Boolean) ?? [];
  let apiKeys = [...(values['api-key'] ?? []), ...fromEnv];
  const jwtSecret = readJwtSecret(values['jwt-secret'], env);
  const jwksUrl = values['jwks-url'];
  let generatedApiKey = false;
  if (apiKeys.length === 0 && !jwtSecret && !jwksUrl) {
    apiKeys = [`dev-${globalThis.crypto.randomUUID()}`];
    generatedApiKey = true;
  }
  let config: Partial<ServerOptions> = {};
  if (values.config) config = await loadServeConfig(values.config);
  const metricsToken = values['metrics-token'] ?? env.OFFGRID_METRICS_TOKEN;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new UsageError(`--metrics-token must be 16 characters or more (a scraper sends it as "Authorization: Bearer <token>"); got ${metricsToken.length}.`);
  }
  const metricsPortText = values['metrics-port'] ?? env.OFFGRID_METRICS_PORT;
  const metricsPort = metricsPortText === undefined ? undefined : Number(metricsPortText);
  if (metricsPort !== undefined && (metricsPortText!.trim() === '' || !Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) {
    throw new UsageError(`--metrics-port must be a number from 0 to 65535, got "${metricsPortText}"`);
  }
  const metricsHost = values['metrics-host'] ?? env.OFFGRID_METRICS_HOST;
  if (metricsHost !== undefined && metricsPort === undefined) {
    throw new UsageError('--metrics-host goes with --metrics-port: pass the port the metrics listener should use too.');
  }
  if (metricsPort !== undefined && metricsPort === port && port !== 0 && (metricsHost ?? '127.0.0.1') === (values.host ?? env.HOST ?? '127.0.0.1')) {
    throw new UsageError(`--metrics-port ${metricsPort} is the API's --port too: pick another port for the metrics.`);
  }
  const shutdownText = values['shutdown-timeout'] ?? env.OFFGRID_SHUTDOWN_TIMEOUT;
  let shutdownTimeoutMs = config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  if (shutdownText !== undefined) {
    const seconds = Number(shutdownText);
    if (shutdownText.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
      throw new UsageError(`--shutdown-timeout must be a number of seconds, 0 or more (e.g. 10 or 2.5), got "${shutdownText}"`);
    }
    shutdownTimeoutMs = Math.round(seconds * 1000);
  }
  return {
    schemaPath: resolve(values.schema),
    database: values.database ?? env.DATABASE_URL_OFFGRID ?? './offgrid-data/offgrid.sqlite',
    ...((values['pg-schema'] ?? env.OFFGRID_PG_SCHEMA) ? { pgSchema: values['pg-schema'] ?? env.OFFGRID_PG_SCHEMA } : {}),
    port,
    host: values.host ?? env.HOST ?? '127.0.0.1',
    apiKeys,
    generatedApiKey,
    ...(jwtSecret ? { jwtSecret } : {}),
    ...(jwksUrl ? { jwksUrl } : {}),
    ...(values['tls-cert'] ? { tlsCert: readFileSync(values['tls-cert'], 'utf8') } : {}),
    ...(values['tls-key'] ? { tlsKey: readFileSync(values['tls-key'], 'utf8') } : {}),
    production: values.production ?? false,
    ...(metricsToken !== undefined ? { metricsToken } : {}),
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    ...(metricsHost !== undefined ? { metricsHost } : {}),
    shutdownTimeoutMs,
    config,
  };
}
