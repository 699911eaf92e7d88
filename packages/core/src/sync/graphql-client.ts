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

  /** The subscription socket; created on first use, reconnecting by itself. */
  socket(handlers: { connected: () => void; closed: () => void }): Client {
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
      on: { connected: handlers.connected, closed: handlers.closed },
    });
    return this.ws;
  }

  async close(): Promise<void> {
    const ws = this.ws;
    this.ws = undefined;
    await ws?.dispose();
  }
}
