import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { GraphQLError, validate as graphqlValidate, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { pino, type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { AuthenticationError, Authenticator } from './auth/authenticator';
import type { Identity } from './auth/identity';
import type { ConflictConfig } from './conflict/conflict-config';
import { formatAppSyncError } from './errors/appsync-error';
import { buildExecutableSchema } from './graphql/executable-schema';
import { prepareOperation, runOperation, validationRules, type GraphQLRequest } from './graphql/run-operation';
import type { ServerContext } from './graphql/server-context';
import { ServerMetrics } from './http/metrics';
import { BodyTooLargeError, readBody } from './http/read-body';
import { RateLimiter } from './limits/rate-limiter';
import { MutationService } from './mutations/mutation-service';
import { LocalChangeBus } from './pubsub/change-bus';
import { SubscriptionHub } from './pubsub/subscription-hub';
import { DEFAULT_LIMITS, type ServerLimits, type ServerOptions } from './server-options';
import { SyncService } from './sync/sync-service';

const DAY = 24 * 60 * 60 * 1000;

/** A running (or ready to run) Offgrid sync server. */
export interface OffgridServer {
  /** Starts listening; resolves with the base URL (`http://127.0.0.1:4000`). */
  listen(port?: number, host?: string): Promise<string>;
  /** Finishes in-flight requests, closes sockets and the database. */
  close(): Promise<void>;
  readonly httpServer: Server;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** Attach another WebSocket protocol (the AppSync real-time endpoint) on an upgrade path. */
  readonly upgrades: Map<string, WebSocketServer>;
  /** What each request's resolvers see, for protocols added beside GraphQL-over-HTTP. */
  contextFor(identity: Identity): ServerContext;
  readonly authenticator: Authenticator;
  readonly limits: ServerLimits;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(errorType: string, message: string) {
  return { data: null, errors: [{ errorType, message, data: null, errorInfo: null }] };
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type, x-api-key, authorization, x-amz-date, x-amz-user-agent, x-amz-security-token',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

/**
 * Creates the sync server: AppSync-shaped GraphQL over HTTP (`POST /graphql`) and WebSocket (graphql-ws on
 * `/graphql`), `/healthz` and Prometheus `/metrics`. Pass `tls` to serve HTTPS/WSS itself.
 *
 * @example
 * const server = await createOffgridServer({ schema, store: new SqliteRecordStore({ filename: 'data.db' }), auth: { apiKeys: ['dev'] } })
 * console.log(await server.listen(4000))
 */
export async function createOffgridServer(options: ServerOptions & { tls?: { cert: string | Buffer; key: string | Buffer } }): Promise<OffgridServer> {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const production = options.production ?? false;
  const logger = options.logger ?? pino({ level: process.env.OFFGRID_LOG_LEVEL ?? 'info' });
  const now = options.now ?? Date.now;
  const { schema, store } = options;
  await store.migrate(schema);

  const bus = options.bus ?? new LocalChangeBus();
  const hub = new SubscriptionHub(bus);
  const sync = new SyncService(store, limits, now);
  const mutations = new MutationService(store, bus);
  const authenticator = new Authenticator(options.auth ?? {});
  const metrics = new ServerMetrics();
  const gqlSchema = buildExecutableSchema(schema);
  const rules = validationRules(limits, production);
  const defaultConflict: ConflictConfig = options.defaultConflict ?? { strategy: 'AUTOMERGE' };
  const conflictFor = (model: string) => options.conflicts?.[model] ?? defaultConflict;
  for (const model of Object.keys(options.conflicts ?? {})) {
    if (!schema.models[model]) throw new Error(`conflicts.${model}: the schema has no model "${model}" (models: ${Object.keys(schema.models).join(', ')})`);
  }

  const contextFor = (identity: Identity): ServerContext => ({
    identity,
    schema,
    store,
    sync,
    mutations,
    hub,
    conflictFor,
    now,
    allowOwnerTransfer: options.allowOwnerTransfer ?? false,
  });

  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatAppSyncError(e, !production));
  const rateByAddress = new Map<string, RateLimiter>();
  let inFlight = 0;
  let closing = false;

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? '';
    let bucket = rateByAddress.get(address);
    if (!bucket) rateByAddress.set(address, (bucket = new RateLimiter(limits.maxRequestsPerSecond)));
    if (!bucket.take()) {
      return sendJson(res, 429, errorBody('LimitExceeded', `More than ${limits.maxRequestsPerSecond} requests per second from this client; slow down and retry.`), CORS);
    }
    let raw: string;
    try {
      raw = await readBody(req, limits.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, errorBody('LimitExceeded', error.message), CORS);
      throw error;
    }
    let body: GraphQLRequest;
    try {
      body = JSON.parse(raw) as GraphQLRequest;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return sendJson(res, 400, errorBody('BadRequest', 'The request body is not a JSON object: send {"query": "...", "variables": {...}}.'), CORS);
    }
    let identity: Identity;
    try {
      identity = await authenticator.authenticate(req.headers);
    } catch (error) {
      if (error instanceof AuthenticationError) return sendJson(res, 401, errorBody('UnauthorizedException', error.message), CORS);
      throw error;
    }
    const prepared = prepareOperation(gqlSchema, body, rules);
    if ('errors' in prepared) return sendJson(res, 400, { data: null, errors: format(prepared.errors) }, CORS);
    const started = performance.now();
    const result: ExecutionResult = await runOperation(gqlSchema, prepared.document, body, contextFor(identity));
    const type = prepared.document.definitions.find((d) => d.kind === 'OperationDefinition')?.operation ?? 'query';
    metrics.duration.observe({ type }, (performance.now() - started) / 1000);
    const response: Record<string, unknown> = { data: result.data ?? null };
    if (result.errors?.length) {
      response.errors = format(result.errors);
      for (const e of result.errors) {
        if (e.originalError && !(e.originalError instanceof GraphQLError)) logger.error({ err: e.originalError, path: e.path }, 'resolver failed');
      }
    }
    sendJson(res, 200, response, CORS);
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname;
    res.on('finish', () => metrics.requests.inc({ route: route === '/graphql' ? route : route.startsWith('/metrics') ? '/metrics' : route === '/healthz' ? route : 'other', status: String(res.statusCode) }));
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    if (route === '/healthz') {
      void store
        .committedSeq()
        .then((seq) => sendJson(res, closing ? 503 : 200, { status: closing ? 'closing' : 'ok', database: store.kind, seq }))
        .catch((error) => sendJson(res, 503, { status: 'unhealthy', error: (error as Error).message }));
      return;
    }
    if (route === '/metrics') {
      metrics.subscriptions.set(hub.size);
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
      return;
    }
    if (route === '/graphql' && req.method === 'POST') {
      if (closing) return sendJson(res, 503, errorBody('ServiceUnavailable', 'The server is shutting down; retry shortly.'));
      inFlight++;
      handleGraphQL(req, res)
        .catch((error) => {
          logger.error({ err: error }, 'request failed');
          if (!res.headersSent) sendJson(res, 500, errorBody('InternalFailure', production ? 'Internal server error' : (error as Error).message), CORS);
        })
        .finally(() => inFlight--);
      return;
    }
    sendJson(res, 404, errorBody('NotFound', `No route ${req.method} ${route}: the API is POST /graphql (WebSocket on /graphql), plus /healthz and /metrics.`));
  };

  const httpServer = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createHttpServer(handler);

  // graphql-ws (the protocol the Offgrid client and most GraphQL clients speak) on /graphql.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
  const identities = new WeakMap<object, Identity>();
  const rates = new WeakMap<object, RateLimiter>();
  useServer<Record<string, unknown>, { identity?: Identity }>(
    {
      schema: gqlSchema,
      validate: (s, d) => graphqlValidate(s, d, rules),
      onConnect: async (ctx) => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(ctx.connectionParams ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
        const upgrade = ctx.extra.request.headers;
        if (!headers['x-api-key'] && !headers.authorization) {
          if (typeof upgrade['x-api-key'] === 'string') headers['x-api-key'] = upgrade['x-api-key'];
          if (typeof upgrade.authorization === 'string') headers.authorization = upgrade.authorization;
        }
        try {
          identities.set(ctx.extra.socket, await authenticator.authenticate(headers));
          rates.set(ctx.extra.socket, new RateLimiter(limits.maxRequestsPerSecond));
          return true;
        } catch (error) {
          logger.info({ reason: (error as Error).message }, 'websocket connection refused');
          return false;
        }
      },
      onSubscribe: (ctx, _id, _payload) => {
        if (!rates.get(ctx.extra.socket)?.take()) {
          return [new GraphQLError(`More than ${limits.maxRequestsPerSecond} messages per second on this connection; slow down.`)];
        }
        if (Object.keys(ctx.subscriptions).length >= limits.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`This connection already has ${limits.maxSubscriptionsPerConnection} subscriptions (the limit); stop one first or open another connection.`)];
        }
        return undefined;
      },
      context: (ctx) => contextFor(identities.get(ctx.extra.socket)!),
      onError: (_ctx, _id, _payload, errors) => format(errors) as never,
    },
    wss,
  );
  wss.on('connection', (socket) => {
    metrics.connections.inc();
    socket.on('close', () => metrics.connections.dec());
  });

  const upgrades = new Map<string, WebSocketServer>([['/graphql', wss]]);
  httpServer.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const target = upgrades.get(path);
    if (!target || closing) {
      socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
  });

  const purgeTimer = setInterval(() => {
    void store.purge(now() - (options.tombstoneRetentionMs ?? 30 * DAY)).catch((error) => logger.error({ err: error }, 'purge failed'));
  }, 60 * 60 * 1000);
  purgeTimer.unref();

  return {
    httpServer,
    metrics,
    logger,
    upgrades,
    contextFor,
    authenticator,
    limits,
    listen(port = 4000, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
          logger.info({ url, database: store.kind, models: Object.keys(schema.models).length }, 'offgrid server listening');
          resolve(url);
        });
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(purgeTimer);
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      for (const server of upgrades.values()) for (const client of server.clients) client.close(1001, 'server shutting down');
      const deadline = Date.now() + 10_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      httpServer.closeIdleConnections?.();
      hub.close();
      await bus.close();
      await stopped;
      await store.close();
    },
  };
}

