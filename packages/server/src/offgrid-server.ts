import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ownProperty } from '@offgrid/schema';
import { GraphQLError, validate as graphqlValidate, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { pino, type Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import { AuthenticationError, Authenticator } from './auth/authenticator';
import type { Identity } from './auth/identity';
import { whenTokenExpires } from './auth/token-expiry';
import type { ConflictConfig } from './conflict/conflict-config';
import { AppSyncError, formatAppSyncError } from './errors/appsync-error';
import { ServerOptionError } from './errors/server-option-error';
import { buildExecutableSchema } from './graphql/executable-schema';
import { DocumentCache } from './graphql/document-cache';
import { prepareOperation, runOperation, validationRules, type GraphQLRequest } from './graphql/run-operation';
import { subscribeSharingResults } from './graphql/shared-subscription-execution';
import type { ServerContext } from './graphql/server-context';
import { ServerMetrics } from './http/metrics';
import { MeteredMutationService } from './http/metered-mutation-service';
import { BodyTooLargeError, readBody } from './http/read-body';
import { AddressRateLimits } from './limits/address-rate-limits';
import { ConnectionCounts } from './limits/connection-counts';
import { bearerMatches } from './http/bearer-token';
import { operationType } from './graphql/operation-type';
import { enforceBatchSize } from './limits/batch-size';
import { nestingProblem } from './limits/input-nesting';
import { RateLimiter } from './limits/rate-limiter';
import { strictAwsScalars } from './limits/strict-scalars';
import { LocalChangeBus } from './pubsub/change-bus';
import { SubscriptionHub } from './pubsub/subscription-hub';
import { DEFAULT_LIMITS, validateLimits, type ServerLimits, type ServerOptions } from './server-options';
import { SyncService } from './sync/sync-service';

const DAY = 24 * 60 * 60 * 1000;
/** How long close() waits for in-flight requests and sockets before cutting connections, by default. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** What close() keeps of its budget for cutting connections and closing the database. */
const CUT_MARGIN_MS = 500;

/** A running (or ready to run) Offgrid sync server. */
export interface OffgridServer {
  /** Starts listening; resolves with the base URL (`http://127.0.0.1:4000`). */
  listen(port?: number, host?: string): Promise<string>;
  /** Finishes in-flight requests, closes sockets and the database. */
  close(): Promise<void>;
  /** The base URL of the separate metrics listener (`metrics.port`) once `listen()` resolved, else undefined. */
  readonly metricsUrl: string | undefined;
  readonly httpServer: Server;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** Attach another WebSocket protocol (the AppSync real-time endpoint) on an upgrade path. */
  readonly upgrades: Map<string, WebSocketServer>;
  /** What each request's resolvers see, for protocols added beside GraphQL-over-HTTP. */
  contextFor(identity: Identity): ServerContext;
  readonly authenticator: Authenticator;
  readonly limits: ServerLimits;
  /**
   * Closes every WebSocket (code 1012, "service restart"), so clients reconnect and run a delta sync. Use it
   * when this process may have missed changes, e.g. after its PostgreSQL LISTEN connection was re-established.
   */
  dropSubscribers(reason: string): void;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Listens on `port` and `host`; resolves with the base URL, rejects with the listen error (EADDRINUSE). */
function listenOn(server: Server, port: number, host: string, scheme: 'http' | 'https'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
    });
  });
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
  validateLimits(options.limits ?? {});
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ServerOptionError('limits.headersTimeoutMs', limits.headersTimeoutMs, `at most limits.requestTimeoutMs (${limits.requestTimeoutMs})`);
  }
  const metricsToken = options.metrics?.token;
  if (metricsToken !== undefined && (typeof metricsToken !== 'string' || metricsToken.length < 16)) {
    throw new ServerOptionError('metrics.token', metricsToken, 'a string of 16 characters or more');
  }
  const metricsPort = options.metrics?.port;
  if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) {
    throw new ServerOptionError('metrics.port', metricsPort, 'a port number from 0 to 65535 (0 picks a free one)');
  }
  const metricsHost = options.metrics?.host ?? '127.0.0.1';
  if (typeof metricsHost !== 'string' || metricsHost === '') throw new ServerOptionError('metrics.host', metricsHost, 'an address to listen on, such as "127.0.0.1"');
  const production = options.production ?? false;
  const logger = options.logger ?? pino({ level: process.env.OFFGRID_LOG_LEVEL ?? 'info' });
  const now = options.now ?? Date.now;
  const { schema, store } = options;
  await store.migrate(schema);

  const bus = options.bus ?? new LocalChangeBus();
  const hub = new SubscriptionHub(bus);
  const sync = new SyncService(store, limits, now);
  const metrics = new ServerMetrics();
  const mutations = new MeteredMutationService(store, bus, metrics);
  const authenticator = new Authenticator(options.auth ?? {});
  const gqlSchema = buildExecutableSchema(schema);
  enforceBatchSize(gqlSchema, limits.maxBatchSize);
  strictAwsScalars(gqlSchema);
  const rules = validationRules(limits, production);
  const documents = new DocumentCache();
  const defaultConflict: ConflictConfig = options.defaultConflict ?? { strategy: 'AUTOMERGE' };
  const conflictFor = (model: string) => (options.conflicts ? ownProperty(options.conflicts, model) : undefined) ?? defaultConflict;
  for (const model of Object.keys(options.conflicts ?? {})) {
    if (!ownProperty(schema.models, model)) throw new Error(`conflicts.${model}: the schema has no model "${model}" (models: ${Object.keys(schema.models).join(', ')})`);
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
    inputLimits: limits,
  });

  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatAppSyncError(e, !production));
  const rateByAddress = new AddressRateLimits(limits.maxRequestsPerSecond);
  const connectionsByAddress = new ConnectionCounts(limits.maxConnectionsPerAddress);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  if (typeof shutdownTimeoutMs !== 'number' || !Number.isFinite(shutdownTimeoutMs) || shutdownTimeoutMs < 0) {
    throw new ServerOptionError('shutdownTimeoutMs', options.shutdownTimeoutMs, 'a number of milliseconds, 0 or more');
  }
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  /** Why a request was refused before it ran, for the request log line. */
  const refusals = new WeakMap<ServerResponse, string>();
  const refuse = (res: ServerResponse, status: number, errorType: string, message: string, headers: Record<string, string> = {}) => {
    refusals.set(res, message);
    sendJson(res, status, errorBody(errorType, message), { ...CORS, ...headers });
  };

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? '';
    if (!rateByAddress.take(address)) {
      req.resume();
      return refuse(res, 429, 'LimitExceeded', `More than ${limits.maxRequestsPerSecond} requests per second from this client (limits.maxRequestsPerSecond); slow down and retry.`, { 'retry-after': '1' });
    }
    let raw: string;
    try {
      raw = await readBody(req, limits.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return refuse(res, 413, 'LimitExceeded', error.message, { connection: 'close' });
      throw error;
    }
    let body: GraphQLRequest;
    try {
      body = JSON.parse(raw) as GraphQLRequest;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return refuse(res, 400, 'BadRequest', 'The request body is not a JSON object: send {"query": "...", "variables": {...}}.');
    }
    let identity: Identity;
    try {
      identity = await authenticator.authenticate(req.headers);
    } catch (error) {
      if (error instanceof AuthenticationError) return refuse(res, 401, 'UnauthorizedException', error.message);
      throw error;
    }
    const tooDeep = nestingProblem(body.query, body.variables);
    if (tooDeep) return refuse(res, 400, 'BadRequest', tooDeep);
    const prepared = prepareOperation(gqlSchema, body, rules, documents);
    if ('errors' in prepared) return sendJson(res, 400, { data: null, errors: format(prepared.errors) }, CORS);
    if (operationType(prepared.document, body.operationName) === 'subscription') {
      return refuse(
        res,
        400,
        'BadRequest',
        'Subscriptions are not served over HTTP POST: subscribe over WebSocket, on /graphql (graphql-ws) or /graphql/realtime (AppSync real-time).',
      );
    }
    const started = performance.now();
    const result: ExecutionResult = await runOperation(gqlSchema, prepared.document, body, contextFor(identity));
    const type = prepared.document.definitions.find((d) => d.kind === 'OperationDefinition')?.operation ?? 'query';
    metrics.duration.observe({ type }, (performance.now() - started) / 1000);
    const response: Record<string, unknown> = { data: result.data ?? null };
    if (result.errors?.length) {
      response.errors = format(result.errors);
      logInternalErrors(result.errors);
    }
    sendJson(res, 200, response, CORS);
  }

  /** Internal failures are logged with their details, which the client only sees outside production. */
  function logInternalErrors(errors: readonly GraphQLError[]): void {
    for (const e of errors) {
      if (e.originalError && !(e.originalError instanceof GraphQLError)) logger.error({ err: e.originalError, path: e.path }, 'resolver failed');
    }
  }

  const serveMetrics = (req: IncomingMessage, res: ServerResponse) => {
    if (metricsToken !== undefined && !bearerMatches(req.headers.authorization, metricsToken)) {
      return sendJson(res, 401, errorBody('UnauthorizedException', 'GET /metrics needs "Authorization: Bearer <metrics.token>".'), { 'www-authenticate': 'Bearer' });
    }
    metrics.subscriptions.set(hub.size);
    void metrics.registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
    });
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname;
    const started = performance.now();
    // Keep-alive sockets would outlive close(); tell clients to reconnect elsewhere once we are draining.
    if (closing) res.shouldKeepAlive = false;
    res.on('finish', () => {
      const label = route === '/graphql' ? route : route.startsWith('/metrics') ? '/metrics' : route === '/healthz' ? route : 'other';
      metrics.requests.inc({ route: label, status: String(res.statusCode) });
      const line = { method: req.method, route: label, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10, address: req.socket.remoteAddress };
      const refusal = refusals.get(res);
      // Successful requests are routine (debug); refusals are what an operator looks for (info).
      if (refusal !== undefined || res.statusCode >= 400) logger.info({ ...line, reason: refusal }, 'request refused');
      else logger.debug(line, 'request');
    });
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
      if (metricsPort !== undefined) return sendJson(res, 404, errorBody('NotFound', 'Metrics are served on their own port (metrics.port), not on this one.'));
      return serveMetrics(req, res);
    }
    if (route === '/graphql' && req.method === 'POST') {
      if (closing) return refuse(res, 503, 'ServiceUnavailable', 'The server is shutting down; retry shortly.', { connection: 'close' });
      inFlight++;
      handleGraphQL(req, res)
        .catch((error) => {
          logger.error({ err: error }, 'request failed');
          if (!res.headersSent) sendJson(res, 500, errorBody('InternalFailure', production ? 'Internal server error' : (error as Error).message), CORS);
        })
        .finally(() => {
          inFlight--;
          if (inFlight === 0) drained?.();
        });
      return;
    }
    sendJson(res, 404, errorBody('NotFound', `No route ${req.method} ${route}: the API is POST /graphql (WebSocket on /graphql), plus /healthz and /metrics.`));
  };

  // A client that sends half a request (slowloris) is answered 408 and closed once these run out. Node
  // checks them every connectionsCheckingInterval (30 s by default): check often enough to honour them.
  const timeouts = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
  };
  const httpServer = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, ...timeouts }, handler) : createHttpServer(timeouts, handler);
  // A listener of its own (metrics.port), so scrapes can stay on a private interface while the API is public.
  const metricsServer =
    metricsPort === undefined
      ? undefined
      : createHttpServer(timeouts, (req, res) => {
          const route = new URL(req.url ?? '/', 'http://localhost').pathname;
          if (req.method === 'GET' && route === '/metrics') return serveMetrics(req, res);
          sendJson(res, 404, errorBody('NotFound', `No route ${req.method} ${route} on the metrics port: GET /metrics.`));
        });
  let metricsUrl: string | undefined;

  // graphql-ws (the protocol the Offgrid client and most GraphQL clients speak) on /graphql.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
  const identities = new WeakMap<object, Identity>();
  /**
   * A token is checked once, at connection_init; a connection must not outlive it, or a subscriber would
   * keep receiving records after its sign-in ended. Closes with 4401 so the client signs in again.
   */
  const closeWhenTokenExpires = (socket: WebSocket, identity: Identity) => {
    const cancel = whenTokenExpires(identity, () => {
      logger.info({ sub: identity.kind === 'jwt' ? identity.sub : undefined }, 'websocket token expired; connection closed');
      socket.close(4401, 'Unauthorized: the token has expired; reconnect with a new one');
    });
    socket.once('close', cancel);
  };
  const rates = new WeakMap<object, RateLimiter>();
  useServer<Record<string, unknown>, { identity?: Identity }>(
    {
      schema: gqlSchema,
      validate: (s, d) => graphqlValidate(s, d, rules),
      subscribe: subscribeSharingResults,
      onConnect: async (ctx) => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(ctx.connectionParams ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
        const upgrade = ctx.extra.request.headers;
        if (!headers['x-api-key'] && !headers.authorization) {
          if (typeof upgrade['x-api-key'] === 'string') headers['x-api-key'] = upgrade['x-api-key'];
          if (typeof upgrade.authorization === 'string') headers.authorization = upgrade.authorization;
        }
        try {
          const identity = await authenticator.authenticate(headers);
          identities.set(ctx.extra.socket, identity);
          rates.set(ctx.extra.socket, new RateLimiter(limits.maxRequestsPerSecond));
          closeWhenTokenExpires(ctx.extra.socket, identity);
          return true;
        } catch (error) {
          if (!(error instanceof AuthenticationError)) logger.error({ err: error }, 'websocket authentication failed');
          logger.info({ reason: (error as Error).message, address: ctx.extra.request.socket.remoteAddress }, 'websocket connection refused');
          // graphql-ws closes the socket with 4403 Forbidden.
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const tooDeep = nestingProblem(payload.query, payload.variables);
        if (tooDeep) return [new AppSyncError('BadRequest', tooDeep)];
        if (!rates.get(ctx.extra.socket)?.take()) {
          return [new AppSyncError('LimitExceeded', `More than ${limits.maxRequestsPerSecond} operations per second on this connection (limits.maxRequestsPerSecond); slow down.`)];
        }
        // graphql-ws has already registered this operation in ctx.subscriptions, so it counts itself.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          return [
            new AppSyncError(
              'LimitExceeded',
              `This connection already has ${limits.maxSubscriptionsPerConnection} subscriptions (limits.maxSubscriptionsPerConnection); stop one first or open another connection.`,
            ),
          ];
        }
        return undefined;
      },
      context: (ctx) => contextFor(identities.get(ctx.extra.socket)!),
      onError: (_ctx, _id, _payload, errors) => format(errors) as never,
      // Execution errors (an @auth refusal at subscribe time, a failing resolver) get the same shape and the
      // same production redaction as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return undefined;
        logInternalErrors(result.errors);
        return { ...result, errors: format(result.errors) } as never;
      },
    },
    wss,
  );

  const upgrades = new Map<string, WebSocketServer>([['/graphql', wss]]);
  httpServer.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const target = upgrades.get(path);
    if (!target || closing) {
      socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    const address = req.socket.remoteAddress ?? '';
    if (!connectionsByAddress.open(address)) {
      logger.info({ address, limit: limits.maxConnectionsPerAddress }, 'websocket refused: too many connections from this address');
      const text = `More than ${limits.maxConnectionsPerAddress} WebSocket connections from this client (limits.maxConnectionsPerAddress); close some first.`;
      socket.end(`HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
      return;
    }
    // The place is held from here, so a burst of upgrades cannot overshoot the cap; released when the
    // socket closes, whether or not the upgrade completed.
    metrics.connections.inc();
    socket.once('close', () => {
      connectionsByAddress.close(address);
      metrics.connections.dec();
    });
    target.handleUpgrade(req, socket, head, (ws) => {
      // ws has already closed an over-long message with 1009 when it emits this error; graphql-ws would
      // print it with console.error as an "internal error". It is a client's mistake: log it as such.
      const emit = ws.emit.bind(ws);
      ws.emit = ((event: string | symbol, ...args: unknown[]) => {
        if (event === 'error' && (args[0] as { code?: string } | undefined)?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
          logger.info({ address: req.socket.remoteAddress, limit: limits.maxMessageBytes }, 'websocket message over limits.maxMessageBytes; connection closed (1009)');
          return true;
        }
        return emit(event, ...args);
      }) as typeof ws.emit;
      target.emit('connection', ws, req);
    });
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
    dropSubscribers(reason) {
      logger.warn({ reason }, 'closing subscriber sockets so clients re-sync');
      for (const wsServer of upgrades.values()) for (const client of wsServer.clients) client.close(1012, reason.slice(0, 120));
    },
    get metricsUrl() {
      return metricsUrl;
    },
    async listen(port = 4000, host = '127.0.0.1') {
      const url = await listenOn(httpServer, port, host, options.tls ? 'https' : 'http');
      if (metricsServer && !metricsServer.listening) {
        try {
          metricsUrl = await listenOn(metricsServer, metricsPort!, metricsHost, 'http');
        } catch (error) {
          httpServer.close();
          throw error;
        }
        logger.info({ url: `${metricsUrl}/metrics` }, 'metrics listening');
      }
      logger.info({ url, database: store.kind, models: Object.keys(schema.models).length }, 'offgrid server listening');
      return url;
    },
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(purgeTimer);
      const started = Date.now();
      const openSockets = () => [...upgrades.values()].reduce((n, server) => n + server.clients.size, 0);
      logger.info({ inFlight, webSockets: openSockets(), timeoutMs: shutdownTimeoutMs }, 'offgrid server shutting down');
      // Stop accepting connections; requests already running finish below.
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      for (const server of upgrades.values()) for (const client of server.clients) client.close(1001, 'server shutting down');
      // Wait for running requests, and for WebSocket clients to answer their close frame, within the budget.
      const budget = Math.max(0, shutdownTimeoutMs - CUT_MARGIN_MS);
      while ((inFlight > 0 || openSockets() > 0) && Date.now() - started < budget) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, Math.min(50, budget)).unref();
        });
      }
      drained = undefined;
      if (inFlight > 0 || openSockets() > 0) {
        logger.warn({ inFlight, webSockets: openSockets() }, `requests or WebSockets still open after ${shutdownTimeoutMs} ms (shutdownTimeoutMs); cutting them`);
      }
      httpServer.closeIdleConnections();
      hub.close();
      await bus.close();
      // Whatever is still open (a stuck request, a WebSocket that ignores the close frame) is cut now.
      httpServer.closeAllConnections();
      for (const server of upgrades.values()) for (const client of server.clients) client.terminate();
      await stopped;
      if (metricsServer?.listening) {
        metricsServer.closeAllConnections();
        await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      }
      await store.close();
      logger.info('offgrid server closed');
    },
  };
}

