import type { IncomingMessage } from 'node:http';
import type { NormalizedSchema } from '@offgrid/schema';
import { type DocumentNode, type GraphQLError, parse, validate } from 'graphql';
import { subscribeSharingResults } from '../graphql/shared-subscription-execution';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Identity } from '../auth/identity';
import { tokenExpired, whenTokenExpires } from '../auth/token-expiry';
import { formatAppSyncError } from '../errors/appsync-error';
import { buildExecutableSchema } from '../graphql/executable-schema';
import { validationRules } from '../graphql/run-operation';
import { RateLimiter } from '../limits/rate-limiter';
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

/** One `start` on a connection. It holds its place from the moment the message arrives, before any await. */
interface Operation {
  iterator: AsyncIterator<unknown> | undefined;
  identity: Identity | undefined;
  /** Set by `stop`, expiry or close; a subscribe still in flight then ends itself as soon as it resolves. */
  ended: boolean;
  cancelExpiry: () => void;
}

interface Connection {
  socket: WebSocket;
  identity: Identity | undefined;
  initialising: boolean;
  handshake: Headers;
  operations: Map<string, Operation>;
  keepAlive: NodeJS.Timeout | undefined;
  cancelExpiry: () => void;
  rate: RateLimiter;
}

/** AppSync's answer when a token runs out under a live subscription; Amplify then reconnects with a fresh one. */
const TOKEN_EXPIRED = 'Token has expired; reconnect with a fresh token.';

/**
 * Serves AppSync's real-time WebSocket protocol on `/graphql/realtime`, so an unmodified Amplify client
 * receives live changes: `connection_init` -> `connection_ack`, periodic `ka`, `start` (the query as a JSON
 * string, auth in `extensions.authorization`) -> `start_ack` / `data` / `error`, `stop` -> `complete`.
 * The same resolvers and @auth checks as every other path deliver the events.
 *
 * When a subscription's token expires it gets an `UnauthorizedException` error and ends; when the
 * connection's token expires every subscription gets one and the socket closes with 4401.
 *
 * @example
 * attachAppSyncRealtime(server, schema)
 */
export function attachAppSyncRealtime(server: OffgridServer, schema: NormalizedSchema, options: { keepAliveMs?: number; production?: boolean } = {}): WebSocketServer {
  const gqlSchema = buildExecutableSchema(schema);
  const rules = validationRules(server.limits, options.production ?? false);
  const limit = server.limits.maxSubscriptionsPerConnection;
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

  /** Ends an operation and frees its place; `because` is the error its subscriber is told, if any. */
  const end = (c: Connection, id: string, op: Operation, because?: { errorType: string; message: string }) => {
    if (op.ended) return;
    op.ended = true;
    op.cancelExpiry();
    if (c.operations.get(id) === op) c.operations.delete(id);
    void op.iterator?.return?.();
    if (because) sendError(c, id, because.errorType, because.message);
  };
  const expired = { errorType: 'UnauthorizedException', message: TOKEN_EXPIRED };

  async function start(c: Connection, id: string, payload: Record<string, unknown>, op: Operation) {
    const refuse = (errorType: string, message: string) => end(c, id, op, { errorType, message });
    const auth = lowerKeys((payload.extensions as { authorization?: Record<string, unknown> } | undefined)?.authorization);
    let identity: Identity;
    try {
      identity = await server.authenticator.authenticate(Object.keys(auth).some((k) => k === 'x-api-key' || k === 'authorization') ? auth : c.handshake);
    } catch (error) {
      return refuse('UnauthorizedException', (error as Error).message);
    }
    let request: { query?: unknown; variables?: Record<string, unknown> };
    try {
      request = typeof payload.data === 'string' ? JSON.parse(payload.data) : (payload.data as typeof request);
    } catch {
      return refuse('BadRequest', 'payload.data must be a JSON string of { query, variables }.');
    }
    let document: DocumentNode;
    try {
      document = parse(String(request?.query ?? ''));
    } catch (error) {
      return refuse('BadRequest', (error as GraphQLError).message);
    }
    const fail = (errors: readonly GraphQLError[]) => {
      end(c, id, op);
      send(c, { type: 'error', id, payload: { errors: errors.map((e) => formatAppSyncError(e, true)) } });
    };
    const errors = validate(gqlSchema, document, rules);
    if (errors.length > 0) return fail(errors);
    const result = await subscribeSharingResults({ schema: gqlSchema, document, variableValues: request.variables ?? {}, contextValue: server.contextFor(identity) });
    if (!(Symbol.asyncIterator in result)) return fail(result.errors ?? []);
    const iterator = result[Symbol.asyncIterator]();
    op.iterator = iterator;
    op.identity = identity;
    // Stopped, or the socket closed, while subscribing: release what subscribe() set up.
    if (op.ended) {
      void iterator.return?.();
      return;
    }
    op.cancelExpiry = whenTokenExpires(identity, () => end(c, id, op, expired));
    send(c, { type: 'start_ack', id });
    for (;;) {
      const next = await iterator.next();
      if (next.done || op.ended) break;
      // Timers can fire late on a busy process; a change never goes out under a token that has run out.
      if (tokenExpired(op.identity) || tokenExpired(c.identity)) {
        if (tokenExpired(c.identity)) expireConnection(c);
        else end(c, id, op, expired);
        break;
      }
      const value = next.value as { data?: unknown; errors?: readonly GraphQLError[] };
      send(c, value.errors?.length ? { type: 'error', id, payload: { errors: value.errors.map((e) => formatAppSyncError(e, true)) } } : { type: 'data', id, payload: { data: value.data } });
    }
  }

  /** The connection's own token ran out: every subscription is told, then the socket closes (as graphql-ws does, 4401). */
  function expireConnection(c: Connection) {
    for (const [id, op] of [...c.operations]) end(c, id, op, expired);
    c.socket.close(4401, 'Unauthorized: the token has expired; reconnect with a new one');
  }

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const c: Connection = {
      socket,
      identity: undefined,
      initialising: false,
      handshake: handshakeHeaders(req),
      operations: new Map(),
      keepAlive: undefined,
      cancelExpiry: () => undefined,
      rate: new RateLimiter(server.limits.maxRequestsPerSecond),
    };
    socket.on('message', (raw) => {
      let message: { type?: string; id?: string; payload?: Record<string, unknown> };
      try {
        message = JSON.parse(String(raw));
      } catch {
        return sendError(c, undefined, 'BadRequest', 'Messages must be JSON.');
      }
      // A stop always goes through: it only frees what the connection holds.
      if (message.type !== 'stop' && !c.rate.take()) {
        return sendError(
          c,
          typeof message.id === 'string' ? message.id : undefined,
          'LimitExceededError',
          `More than ${server.limits.maxRequestsPerSecond} messages per second on this connection (limits.maxRequestsPerSecond); slow down.`,
        );
      }
      switch (message.type) {
        case 'connection_init':
          if (c.initialising) return sendError(c, undefined, 'BadRequest', 'connection_init was already sent on this connection.');
          c.initialising = true;
          void server.authenticator.authenticate(c.handshake).then(
            (identity) => {
              if (socket.readyState !== socket.OPEN) return;
              c.identity = identity;
              c.cancelExpiry = whenTokenExpires(identity, () => expireConnection(c));
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
        case 'start': {
          const id = message.id;
          if (!id || typeof id !== 'string' || !message.payload) return sendError(c, typeof id === 'string' ? id : undefined, 'BadRequest', 'start needs a string id and a payload.');
          if (!c.identity) return sendError(c, id, 'UnauthorizedException', 'Send connection_init and wait for connection_ack first.');
          // Checked and claimed in one synchronous step, so a burst of starts cannot all pass the check
          // before any of them is counted.
          if (c.operations.has(id)) return sendError(c, id, 'DuplicatedOperationError', `Duplicated operation with id ${id}: stop it first or use a new id.`);
          if (c.operations.size >= limit) {
            return sendError(c, id, 'MaxSubscriptionsReachedError', `This connection already has ${limit} subscriptions (limits.maxSubscriptionsPerConnection); stop one first or open another connection.`);
          }
          const op: Operation = { iterator: undefined, identity: undefined, ended: false, cancelExpiry: () => undefined };
          c.operations.set(id, op);
          void start(c, id, message.payload, op).catch((error: Error) => end(c, id, op, { errorType: 'InternalFailure', message: options.production ? 'Internal server error' : error.message }));
          return;
        }
        case 'stop': {
          const op = message.id ? c.operations.get(message.id) : undefined;
          if (op && message.id) end(c, message.id, op);
          send(c, { type: 'complete', id: message.id });
          return;
        }
        default:
          sendError(c, message.id, 'UnsupportedOperation', `Unknown message type "${message.type}".`);
      }
    });
    socket.on('close', () => {
      clearInterval(c.keepAlive);
      c.cancelExpiry();
      for (const [id, op] of [...c.operations]) end(c, id, op);
    });
  });
  server.upgrades.set('/graphql/realtime', wss);
  return wss;
}
