import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What a test subscription saw: each `next` payload, and the error or close that ended it. */
export interface TestSubscription {
  events: any[];
  /** Resolves with the `n`th payload (1-based), or rejects after `timeoutMs`. */
  nth(n: number, timeoutMs?: number): Promise<any>;
  /** Resolves with the error (GraphQL errors or a CloseEvent) that ended the subscription. */
  ended: Promise<unknown>;
  dispose(): void;
}

/** A graphql-ws client for `url` (the server's http URL) that never retries, so a refusal shows at once. */
export function wsClient(url: string, connectionParams: Record<string, unknown>): Client {
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    shouldRetry: () => false,
    lazy: true,
  });
}

/** Subscribes and collects what arrives. */
export function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}): TestSubscription {
  const events: any[] = [];
  const waiters: Array<() => void> = [];
  let end!: (e: unknown) => void;
  const ended = new Promise<unknown>((resolve) => (end = resolve));
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        events.push(value);
        for (const w of waiters.splice(0)) w();
      },
      error: (error) => end(error),
      complete: () => end(undefined),
    },
  );
  return {
    events,
    ended,
    dispose,
    nth(n, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event #${n} within ${timeoutMs} ms; got ${JSON.stringify(events)}`)), timeoutMs);
        const check = () => {
          if (events.length >= n) {
            clearTimeout(timer);
            resolve(events[n - 1]);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Waits until the server reports `count` live subscriptions on `/metrics` (subscribing is asynchronous). */
export async function waitForSubscriptions(url: string, count: number, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const text = await (await fetch(`${url}/metrics`)).text();
    last = /^offgrid_subscriptions (\d+)/m.exec(text)?.[1] ?? '?';
    if (Number(last) === count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`expected ${count} live subscriptions, the server has ${last}`);
}
