import WebSocket from 'ws';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A raw AppSync real-time socket, as an unmodified Amplify v6 client opens it, with what it received. */
export interface RealtimeTestClient {
  ws: WebSocket;
  messages: any[];
  /** Resolves with the close code and reason once the server (or the test) closes the socket. */
  closed: Promise<{ code: number; reason: string }>;
  /** The first message matching `pred`, waiting up to `ms`. */
  waitFor(pred: (m: any) => boolean, ms?: number): Promise<any>;
  /** Sends `connection_init` and waits for the ack. */
  init(): Promise<void>;
  /** Sends a `start` for `query` (auth in extensions, as Amplify does); does not wait. */
  start(id: string, query: string, auth: Record<string, string>, variables?: Record<string, unknown>): void;
}

/**
 * Opens `/graphql/realtime` with the handshake auth in a `header-<base64url>` subprotocol.
 *
 * @example
 * const c = await connectRealtime(t.url, { 'x-api-key': TEST_API_KEY }); await c.init()
 */
export async function connectRealtime(url: string, auth: Record<string, string>): Promise<RealtimeTestClient> {
  const host = new URL(url).host;
  const ws = new WebSocket(`${url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', `header-${b64url({ host, ...auth })}`]);
  const messages: any[] = [];
  ws.on('message', (m) => messages.push(JSON.parse(String(m))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waitFor = async (pred: (m: any) => boolean, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const found = messages.find(pred);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no message matched; got ${JSON.stringify(messages).slice(0, 2000)}`);
  };
  return {
    ws,
    messages,
    closed,
    waitFor,
    async init() {
      ws.send(JSON.stringify({ type: 'connection_init' }));
      await waitFor((m) => m.type === 'connection_ack' || m.type === 'connection_error');
    },
    start(id, query, startAuth, variables = {}) {
      ws.send(JSON.stringify({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: { host, ...startAuth } } } }));
    },
  };
}
