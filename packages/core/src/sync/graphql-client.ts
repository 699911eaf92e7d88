import { createClient, type Client } from 'graphql-ws';
// Node 20 has no global WebSocket: `#websocket` brings `ws` there (a `node` condition), nothing in browsers.
import { defaultWebSocket } from '#websocket';
import { SyncAuthError, SyncNetworkError } from '../errors';
import type { AuthProvider } from './auth-providers';
import type { Credentials } from './credentials';

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

/** What the engine hears from a subscription socket. */
export interface SocketHandlers {
  connected: () => void;
  closed: () => void;
  retryDelay: (attempt: number) => number;
}

/**
 * Talks to the sync server: queries and mutations over HTTP, subscriptions over WebSockets (graphql-ws),
 * each authenticated with the credential the caller chooses. A WebSocket carries one identity (its
 * connection_init), so there is one socket per credential in use: with an API key and a token (multi-auth)
 * the public models' subscriptions ride one socket and the owner models' another.
 */
export class GraphQLClient {
  private readonly connections = new Map<AuthProvider | 'default', SocketLife>();
  /** How often a subscription socket is pinged, and how long a pong may take. */
  keepAliveMs = 15_000;

  constructor(
    private readonly url: string,
    private readonly credentials: Credentials,
    private readonly fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
    private readonly webSocketImpl?: unknown,
  ) {}

  /**
   * POSTs a document with `provider`'s credential (default: the token when signed in, else the API key);
   * network failures and 5xx/429 become {@link SyncNetworkError}, a 401 {@link SyncAuthError}.
   */
  async request<T>(query: string, variables: Record<string, unknown>, signal?: AbortSignal, provider?: AuthProvider): Promise<GraphQLResponse<T>> {
    let res: Response;
    const headers = await this.credentials.headers(provider);
    try {
      res = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
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
   * The subscription socket for `provider`'s credential; created on first use, reconnecting by itself after
   * `retryDelay(attempt)` ms (the engine's jittered backoff, not graphql-ws's default of 1 s doubling to
   * minutes), or at once when {@link reconnectNow} is called.
   */
  socket(handlers: SocketHandlers, provider?: AuthProvider): Client {
    const slot = provider ?? 'default';
    const existing = this.connections.get(slot);
    if (existing) return existing.client;
    const wsUrl = this.url.replace(/^http/, 'ws');
    const base = (this.webSocketImpl ?? defaultWebSocket() ?? (globalThis as { WebSocket?: unknown }).WebSocket) as SocketClass | undefined;
    const life = { closed: false, latest: undefined, cancelWait: undefined, retryNow: undefined, activeSocket: undefined, pongTimer: undefined } as Omit<SocketLife, 'client'> as SocketLife;
    life.client = createClient({
      url: wsUrl,
      ...(base ? { webSocketImpl: trackSockets(base, (socket) => (life.latest = socket)) } : {}),
      connectionParams: () => this.credentials.headers(provider),
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
          const stop = () => {
            clearTimeout(timer);
            life.retryNow = undefined;
            life.cancelWait = undefined;
          };
          const timer = setTimeout(() => {
            stop();
            resolve();
          }, handlers.retryDelay(retries + 1));
          life.retryNow = () => {
            stop();
            resolve();
          };
          life.cancelWait = stop;
        }),
      // A half-open socket (the peer vanished without a close) would silently stop live changes: ping
      // regularly and close the socket when no pong comes back, so the client reconnects and re-syncs.
      keepAlive: this.keepAliveMs,
      on: {
        // A closed client's late events (its socket's close handshake ending after a new socket is up)
        // must not mark the new socket down: the engine would hold live changes until the next reconnect.
        connected: (socket) => {
          if (life.closed) return;
          life.activeSocket = socket as TrackedSocket;
          handlers.connected();
        },
        closed: () => {
          clearTimeout(life.pongTimer);
          life.activeSocket = undefined;
          if (!life.closed) handlers.closed();
        },
        ping: (received) => {
          if (received) return;
          life.pongTimer = setTimeout(() => {
            // A closing handshake cannot complete over a dead link; drop the connection where the socket allows it.
            const socket = life.activeSocket;
            if (socket?.terminate) socket.terminate();
            else socket?.close(4408, 'Pong timeout');
          }, this.keepAliveMs);
        },
        pong: (received) => {
          if (received) clearTimeout(life.pongTimer);
        },
      },
    });
    this.connections.set(slot, life);
    return life.client;
  }

  /** The network is back: sockets waiting to reconnect try now. */
  reconnectNow(): void {
    for (const life of this.connections.values()) life.retryNow?.();
  }

  /**
   * Closes every subscription socket and resolves once nothing of them is left: never rejects and never
   * waits on the network. A socket still connecting (or refused, or reset meanwhile) is dropped on the
   * spot; one waiting to reconnect never opens again.
   */
  async close(): Promise<void> {
    const lives = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(lives.map(closeSocket));
  }
}

async function closeSocket(life: SocketLife): Promise<void> {
  clearTimeout(life.pongTimer);
  life.closed = true;
  const waiting = life.cancelWait !== undefined;
  life.cancelWait?.();
  // dispose() marks graphql-ws's client disposed at once (no more retries), then waits for the connection
  // attempt in progress to close it; that attempt failing is network trouble, not a failure to close.
  const disposed = Promise.resolve(life.client.dispose()).catch(() => undefined);
  const socket = life.latest;
  if (socket && socket !== life.activeSocket && socket.readyState !== CLOSED) {
    // Not acknowledged yet: the handshake may never finish on a bad network, so end it here; graphql-ws
    // then sees the socket close and settles dispose().
    if (socket.terminate) socket.terminate();
    else socket.close(1000, 'Normal Closure');
  }
  life.activeSocket = undefined;
  // A client waiting to reconnect has no socket; its connection attempt never starts, so dispose() would never settle.
  if (!waiting) await disposed;
}

/** What the client needs of a WebSocket class: construct it, and end one (`terminate` is `ws`'s abrupt close). */
type SocketClass = new (url: string, protocols?: string | string[]) => TrackedSocket;
interface TrackedSocket {
  readonly readyState: number;
  close(code?: number, reason?: string): void;
  terminate?: () => void;
}
const CLOSED = 3;

/** One subscription socket's life: its graphql-ws client, closed or not, its newest socket, its reconnect wait. */
interface SocketLife {
  client: Client;
  closed: boolean;
  latest: TrackedSocket | undefined;
  /** The acknowledged socket, if connected. */
  activeSocket: TrackedSocket | undefined;
  pongTimer: ReturnType<typeof setTimeout> | undefined;
  /** Ends the current wait between reconnect attempts now (the network is back). */
  retryNow: (() => void) | undefined;
  /** Ends the current wait for good (closing). */
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
