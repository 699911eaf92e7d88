import { createClient, type Client } from 'graphql-ws';
// Node 20 has no global WebSocket: `#websocket` brings `ws` there (a `node` condition), nothing in browsers.
import { defaultWebSocket } from '#websocket';
import { SyncAuthError, SyncNetworkError } from '../errors';
import type { SyncAuth } from './sync-options';

/** A GraphQL error as the server reports it (AppSync shape: top-level `errorType` and `data`). */
export interface RemoteError {
  message: string;
  errorType?: string;
  data?: unknown;
}

/** A GraphQL response. */
export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: RemoteError[];
}

async function authHeaders(auth: SyncAuth): Promise<Record<string, string>> {
  return 'apiKey' in auth ? { 'x-api-key': auth.apiKey } : { authorization: await auth.token() };
}

/**
 * Talks to the sync server: queries and mutations over HTTP, subscriptions over one WebSocket
 * (graphql-ws), authenticated the same way on both.
 */
export class GraphQLClient {
  private ws: Client | undefined;
  private activeSocket: { close(code?: number, reason?: string): void; terminate?: () => void } | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  /** How often the subscription socket is pinged, and how long a pong may take. */
  keepAliveMs = 15_000;
  /** Ends the socket's current wait between reconnect attempts, if it is waiting. */
  private retryNow: (() => void) | undefined;
  /** The current subscription client's state (see {@link socket}). */
  private life: SocketLife | undefined;

  constructor(
    private readonly url: string,
    private readonly auth: SyncAuth,
    private readonly fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
    private readonly webSocketImpl?: unknown,
  ) {}

  /** POSTs a document; network failures and 5xx/429 become {@link SyncNetworkError}, a 401 {@link SyncAuthError}. */
  async request<T>(query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<GraphQLResponse<T>> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await authHeaders(this.auth)) },
        body: JSON.stringify({ query, variables }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw new SyncNetworkError(`Cannot reach ${this.url}: ${(error as Error).message}`, { cause: error });
    }
    if (res.status === 401) throw new SyncAuthError(`The server refused the credentials: ${await res.text()}`);
    if (res.status >= 500 || res.status === 429 || res.status === 408) throw new SyncNetworkError(`${this.url} answered ${res.status}`);
    try {
      return (await res.json()) as GraphQLResponse<T>;
    } catch (error) {
      throw new SyncNetworkError(`${this.url} answered with something that is not JSON (${res.status})`, { cause: error });
    }
  }

  /**
   * The subscription socket; created on first use, reconnecting by itself after `retryDelay(attempt)` ms
   * (the engine's jittered backoff, not graphql-ws's default of 1 s doubling to minutes), or at once when
   * {@link reconnectNow} is called.
   */
  socket(handlers: { connected: () => void; closed: () => void; retryDelay: (attempt: number) => number }): Client {
    if (this.ws) return this.ws;
    const wsUrl = this.url.replace(/^http/, 'ws');
    const base = (this.webSocketImpl ?? defaultWebSocket() ?? (globalThis as { WebSocket?: unknown }).WebSocket) as SocketClass | undefined;
    const life: SocketLife = { closed: false, latest: undefined, cancelWait: undefined };
    this.life = life;
    this.ws = createClient({
      url: wsUrl,
      ...(base ? { webSocketImpl: trackSockets(base, (socket) => (life.latest = socket)) } : {}),
      connectionParams: () => authHeaders(this.auth),
      lazy: false,
      // The engine decides when to give up; the socket keeps trying with its own jittered backoff.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      // Network trouble is reported by the engine (syncError, status), not printed.
      onNonLazyError: () => undefined,
      retryWait: (retries) =>
        new Promise<void>((resolve) => {
          // A closed client never opens another socket: its wait simply never ends (no timer is left behind).
          if (life.closed) return;
          const done = () => {
            clearTimeout(timer);
            if (this.retryNow === done) this.retryNow = undefined;
            life.cancelWait = undefined;
            resolve();
          };
          const timer = setTimeout(done, handlers.retryDelay(retries + 1));
          this.retryNow = done;
          life.cancelWait = () => {
            clearTimeout(timer);
            if (this.retryNow === done) this.retryNow = undefined;
            life.cancelWait = undefined;
          };
        }),
      // A half-open socket (the peer vanished without a close) would silently stop live changes: ping
      // regularly and close the socket when no pong comes back, so the client reconnects and re-syncs.
      keepAlive: this.keepAliveMs,
      on: {
        connected: (socket) => {
          this.activeSocket = socket as { close(code?: number, reason?: string): void; terminate?: () => void };
          handlers.connected();
        },
        closed: () => {
          clearTimeout(this.pongTimer);
          this.activeSocket = undefined;
          handlers.closed();
        },
        ping: (received) => {
          if (received) return;
          this.pongTimer = setTimeout(() => {
            // A closing handshake cannot complete over a dead link; drop the connection where the socket allows it.
            const socket = this.activeSocket;
            if (socket?.terminate) socket.terminate();
            else socket?.close(4408, 'Pong timeout');
          }, this.keepAliveMs);
        },
        pong: (received) => {
          if (received) clearTimeout(this.pongTimer);
        },
      },
    });
    return this.ws;
  }

  /** The network is back: a socket waiting to reconnect tries now. */
  reconnectNow(): void {
    this.retryNow?.();
  }

  /**
   * Closes the subscription socket and resolves once nothing of it is left: never rejects and never waits
   * on the network. A socket still connecting (or refused, or reset meanwhile) is dropped on the spot; one
   * waiting to reconnect never opens again.
   */
  async close(): Promise<void> {
    const ws = this.ws;
    const life = this.life;
    this.ws = undefined;
    this.life = undefined;
    clearTimeout(this.pongTimer);
    if (!ws || !life) return;
    life.closed = true;
    const waiting = life.cancelWait !== undefined;
    life.cancelWait?.();
    // dispose() marks graphql-ws's client disposed at once (no more retries), then waits for the connection
    // attempt in progress to close it; that attempt failing is network trouble, not a failure to close.
    const disposed = Promise.resolve(ws.dispose()).catch(() => undefined);
    const socket = life.latest;
    if (socket && socket !== this.activeSocket && socket.readyState !== CLOSED) {
      // Not acknowledged yet: the handshake may never finish on a bad network, so end it here; graphql-ws
      // then sees the socket close and settles dispose().
      if (socket.terminate) socket.terminate();
      else socket.close(1000, 'Normal Closure');
    }
    this.activeSocket = undefined;
    // A client waiting to reconnect has no socket; its connection attempt never starts, so dispose() would never settle.
    if (!waiting) await disposed;
  }
}

/** What the client needs of a WebSocket class: construct it, and end one (`terminate` is `ws`'s abrupt close). */
type SocketClass = new (url: string, protocols?: string | string[]) => TrackedSocket;
interface TrackedSocket {
  readonly readyState: number;
  close(code?: number, reason?: string): void;
  terminate?: () => void;
}
const CLOSED = 3;

/** One subscription client's life: closed or not, its newest socket, and how to cancel its reconnect wait. */
interface SocketLife {
  closed: boolean;
  latest: TrackedSocket | undefined;
  cancelWait: (() => void) | undefined;
}

/** The WebSocket class with each new socket reported, so `close()` can end a handshake that never finishes. */
function trackSockets(Base: SocketClass, onCreate: (socket: TrackedSocket) => void): SocketClass {
  return class TrackedWebSocket extends Base {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      onCreate(this);
    }
  };
}
