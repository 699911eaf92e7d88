import { createClient, type Client } from 'graphql-ws';
import type { SyncAuth } from './sync-options';

/** The request did not reach the server or got no usable answer; retry later. */
export class NetworkError extends Error {
  readonly retryable = true;
}

/** The server refused the credentials (401). */
export class AuthRejectedError extends Error {
  readonly retryable = true;
}

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

  constructor(
    private readonly url: string,
    private readonly auth: SyncAuth,
    private readonly fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
    private readonly webSocketImpl?: unknown,
  ) {}

  /** POSTs a document; network failures and 5xx/429 become {@link NetworkError}. */
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
      throw new NetworkError(`Cannot reach ${this.url}: ${(error as Error).message}`, { cause: error });
    }
    if (res.status === 401) throw new AuthRejectedError(`The server refused the credentials: ${await res.text()}`);
    if (res.status >= 500 || res.status === 429 || res.status === 408) throw new NetworkError(`${this.url} answered ${res.status}`);
    try {
      return (await res.json()) as GraphQLResponse<T>;
    } catch (error) {
      throw new NetworkError(`${this.url} answered with something that is not JSON (${res.status})`, { cause: error });
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
    this.ws = createClient({
      url: wsUrl,
      ...(this.webSocketImpl ? { webSocketImpl: this.webSocketImpl } : {}),
      connectionParams: () => authHeaders(this.auth),
      lazy: false,
      // The engine decides when to give up; the socket keeps trying with its own jittered backoff.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: (retries) =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            if (this.retryNow === done) this.retryNow = undefined;
            resolve();
          };
          const timer = setTimeout(done, handlers.retryDelay(retries + 1));
          this.retryNow = done;
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

  async close(): Promise<void> {
    const ws = this.ws;
    this.ws = undefined;
    this.retryNow?.();
    clearTimeout(this.pongTimer);
    await ws?.dispose();
  }
}
