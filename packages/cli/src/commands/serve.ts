import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { attachAppSyncRealtime, createOffgridServer, PostgresChangeBus, PostgresRecordStore, SqliteRecordStore, type ChangeBus, type OffgridServer, type RecordStore } from '@offgrid/server';
import { loadSchemaFile } from './load-schema';
import { readServeCommand, UsageError } from './serve-options';
import { createServeLogger } from './serve-logger';

/** A started `offgrid serve`: its URL and how to stop it. */
export interface RunningServe {
  url: string;
  server: OffgridServer;
  /** The shutdown deadline it was given (`--shutdown-timeout`), for {@link stopOnSignals}. */
  shutdownTimeoutMs: number;
}

/**
 * Runs `offgrid serve`: loads the schema, opens the database (an embedded SQLite file by default, or
 * PostgreSQL with LISTEN/NOTIFY so several processes share subscribers) and starts the server.
 *
 * @example
 * await serve(['--schema', 'schema.graphql', '--api-key', 'dev-key'])
 */
export async function serve(argv: string[], print: (line: string) => void = console.log): Promise<RunningServe> {
  const cmd = await readServeCommand(argv);
  const schema = loadSchemaFile(cmd.schemaPath);
  const postgres = /^postgres(ql)?:\/\//.test(cmd.database);
  let store: RecordStore;
  let bus: ChangeBus | undefined;
  if (postgres) {
    const pg = new PostgresRecordStore({ connectionString: cmd.database, ...(cmd.pgSchema ? { schema: cmd.pgSchema } : {}) });
    store = pg;
    // Changes committed by other processes while LISTEN was down were not delivered here: make this
    // process's subscribers reconnect, which makes them run a delta sync.
    bus = new PostgresChangeBus({ connectionString: cmd.database, store: pg, onReconnect: () => running?.dropSubscribers('change feed reconnected') });
  } else {
    if (cmd.database !== ':memory:') mkdirSync(dirname(cmd.database), { recursive: true });
    store = new SqliteRecordStore({ filename: cmd.database });
  }
  let running: OffgridServer | undefined;
  const server = await createOffgridServer({
    ...cmd.config,
    logger: cmd.config.logger ?? createServeLogger(process.env.OFFGRID_LOG_LEVEL ?? 'info'),
    shutdownTimeoutMs: cmd.shutdownTimeoutMs,
    schema,
    store,
    ...(bus ? { bus } : {}),
    auth: {
      ...cmd.config.auth,
      apiKeys: [...(cmd.config.auth?.apiKeys ?? []), ...cmd.apiKeys],
      ...(cmd.jwtSecret || cmd.jwksUrl ? { jwt: { ...cmd.config.auth?.jwt, ...(cmd.jwtSecret ? { secret: cmd.jwtSecret } : {}), ...(cmd.jwksUrl ? { jwksUrl: cmd.jwksUrl } : {}) } } : {}),
    },
    production: cmd.production || cmd.config.production === true,
    ...(cmd.metricsToken || cmd.metricsPort !== undefined
      ? {
          metrics: {
            ...cmd.config.metrics,
            ...(cmd.metricsToken ? { token: cmd.metricsToken } : {}),
            ...(cmd.metricsPort !== undefined ? { port: cmd.metricsPort } : {}),
            ...(cmd.metricsHost !== undefined ? { host: cmd.metricsHost } : {}),
          },
        }
      : {}),
    ...(cmd.tlsCert && cmd.tlsKey ? { tls: { cert: cmd.tlsCert, key: cmd.tlsKey } } : {}),
  });
  running = server;
  // Unmodified Amplify clients subscribe over AppSync's real-time protocol on /graphql/realtime.
  attachAppSyncRealtime(server, schema, { production: cmd.production });
  let url: string;
  try {
    url = await server.listen(cmd.port, cmd.host);
  } catch (error) {
    await server.close().catch(() => undefined);
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new UsageError(
        `port ${cmd.port} on ${cmd.host} is already in use (another offgrid serve?): pass --port <another port>, or --port 0 for a free one.`,
      );
    }
    throw error;
  }
  print(`offgrid serve: ${url}/graphql (WebSocket ${url.replace(/^http/, 'ws')}/graphql) on ${postgres ? 'PostgreSQL' : `SQLite ${cmd.database}`}`);
  print(`  models: ${Object.keys(schema.models).join(', ')}`);
  if (server.metricsUrl) print(`  metrics: ${server.metricsUrl}/metrics`);
  if (cmd.generatedApiKey) print(`  API key (generated for this run; pass --api-key to choose one): ${cmd.apiKeys[0]}`);
  return { url, server, shutdownTimeoutMs: cmd.shutdownTimeoutMs };
}
