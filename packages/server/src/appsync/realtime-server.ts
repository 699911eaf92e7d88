import type { IncomingMessage } from 'node:http';
import type { NormalizedSchema } from '@offgrid/schema';
import { type DocumentNode, type GraphQLError, parse, subscribe, validate } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Identity } from '../auth/identity';
import { formatAppSyncError } from '../errors/appsync-error';
import { buildExecutableSchema } from '../graphql/executable-schema';
import { validationRules } from '../graphql/run-operation';
import type { OffgridServer } from '../offgrid-server';

/** AppSync's real-time subprotocol name (not the graphql-ws library's). */
const PROTOCOL = 'graphql-ws';
const CONNECTION_TIMEOUT_MS = 300_000;

type Headers = Record<string, string | undefined>;

function decodeBase64Json(text: string | undefined | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function lowerKeys(value: Record<string, unknown> | undefined): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(value ?? {})) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/** The auth header Amplify puts in the handshake: a `header-<base64url>` subprotocol (v6) or `?header=` (v5). */
export function handshakeHeaders(req: IncomingMessage): Headers {
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const fromProtocol = protocols.find((p) => p.startsWith('header-'));
  if (fromProtocol) return lowerKeys(decodeBase64Json(fromProtocol.slice('header-'.length).replace(/-/g, '+').replace(/_/g, '/')));
  const url = new URL(req.url ?? '/', 'http://localhost');
  return lowerKeys(decodeBase64Json(url.searchParams.get('header')));
}

interface Connection {
  socket: WebSocket;
  identity: Identity | undefined;
  handshake: Headers;
  operations: Map<string, AsyncIterator<unknown>>;
  keepAlive: NodeJS.Timeout | undefined;
}

/**
 * Serves AppSync's real-time WebSocket protocol on `/graphql/realtime`, so an unmodified Amplify client
 * receives live changes: `connection_init` -> `connection_ack`, periodic `ka`, `start` (the query as a JSON
 * string, auth in `extensions.authorization`) -> `start_ack` / `data` / `error`, `stop` -> `complete`.
 * The same resolvers and @auth checks as every other path deliver the events.
 *
 * @example
 * attachAppSyncRealtime(server, schema)
 */
export function attachAppSyncRealtime(server: OffgridServer, schema: NormalizedSchema, options: { keepAliveMs?: number; production?: boolean } = {}): WebSocketServer {
  const gqlSchema = buildExecutableSchema(schema);
  const rules = validationRules(server.limits, options.production ?? false);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: server.limits.maxMessageBytes,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
  });
  const send = (c: Connection, message: unknown) => {
    if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(message));
  };
  const sendError = (c: Connection, id: string | undefined, errorType: string, message: string) =>
    send(c, { type: 'error', ...(id ? { id } : {}), payload: { errors: [{ errorType, message }] } });

  async function start(c: Connection, id: string, payload: Record<string, unknown>) {
    if (c.operations.has(id)) return sendError(c, id, 'DuplicatedOperationError', `Operation ${id} is already running.`);
    if (c.operations.size >= server.limits.maxSubscriptionsPerConnection) {
      return sendError(c, id, 'LimitExceeded', `This connection already has ${server.limits.maxSubscriptionsPerConnection} subscriptions.`);
    }
    const auth = lowerKeys((payload.extensions as { authorization?: Record<string, unknown> } | undefined)?.authorization);
    let identity: Identity;
    try {
      identity = await server.authenticator.authenticate(Object.keys(auth).some((k) => k === 'x-api-key' || k === 'authorization') ? auth : c.handshake);
    } catch (error) {
      return sendError(c, id, 'UnauthorizedException', (error as Error).message);
    }
    let request: { query?: unknown; variables?: Record<string, unknown> };
    try {
      request = typeof payload.data === 'string' ? JSON.parse(payload.data) : (payload.data as typeof request);
    } catch {
      return sendError(c, id, 'BadRequest', 'payload.data must be a JSON string of { query, variables }.');
    }
    let document: DocumentNode;
    try {
      document = parse(String(request?.query ?? ''));
    } catch (error) {
      return sendError(c, id, 'BadRequest', (error as GraphQLError).message);
    }
    const errors = validate(gqlSchema, document, rules);
    if (errors.length > 0) return send(c, { type: 'error', id, payload: { errors: errors.map((e) => formatAppSyncError(e, true)) } });
    const result = await subscribe({ schema: gqlSchema, document, variableValues: request.variables ?? {}, contextValue: server.contextFor(identity) });
    if (!(Symbol.asyncIterator in result)) {
      return send(c, { type: 'error', id, payload: { errors: (result.errors ?? []).map((e) => formatAppSyncError(e, true)) } });
    }
    const iterator = result[Symbol.asyncIterator]();
    c.operations.set(id, iterator);
    send(c, { type: 'start_ack', id });
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const value = next.value as { data?: unknown; errors?: readonly GraphQLError[] };
        send(c, value.errors?.length ? { type: 'error', id, payload: { errors: value.errors.map((e) => formatAppSyncError(e, true)) } } : { type: 'data', id, payload: { data: value.data } });
      }
    })();
  }

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const c: Connection = { socket, identity: undefined, handshake: handshakeHeaders(req), operations: new Map(), keepAlive: undefined };
    socket.on('message', (raw) => {
      let message: { type?: string; id?: string; payload?: Record<string, unknown> };
      try {
        message = JSON.parse(String(raw));
      } catch {
        return sendError(c, undefined, 'BadRequest', 'Messages must be JSON.');
      }
      switch (message.type) {
        case 'connection_init':
          void server.authenticator.authenticate(c.handshake).then(
            (identity) => {
              c.identity = identity;
              send(c, { type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
              send(c, { type: 'ka' });
              c.keepAlive = setInterval(() => send(c, { type: 'ka' }), options.keepAliveMs ?? 60_000);
            },
            (error: Error) => {
              send(c, { type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: error.message }] } });
              socket.close(1000);
            },
          );
          return;
        case 'start':
          if (!message.id || !message.payload) return sendError(c, message.id, 'BadRequest', 'start needs an id and a payload.');
          if (!c.identity) return sendError(c, message.id, 'UnauthorizedException', 'Send connection_init first.');
          void start(c, message.id, message.payload);
          return;
        case 'stop': {
          const iterator = message.id ? c.operations.get(message.id) : undefined;
          if (message.id) c.operations.delete(message.id);
          void iterator?.return?.();
          send(c, { type: 'complete', id: message.id });
          return;
        }
        default:
          sendError(c, message.id, 'UnsupportedOperation', `Unknown message type "${message.type}".`);
      }
    });
    socket.on('close', () => {
      clearInterval(c.keepAlive);
      for (const iterator of c.operations.values()) void iterator.return?.();
      c.operations.clear();
    });
  });
  server.upgrades.set('/graphql/realtime', wss);
  return wss;
}
