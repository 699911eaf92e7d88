import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, wsClient } from './test-support/graphql-ws-client';
import { DATABASES, startTestServer, TEST_API_KEY, type TestServer } from './test-support/test-server';

/** A pino logger writing JSON lines into an array. */
function capturingLogger() {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** The value of one sample of a Prometheus text exposition, or 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.indexOf('}'));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe.each(DATABASES)('health, metrics and logs on %s', (kind) => {
  let t: TestServer;
  let lines: any[];
  beforeAll(async () => {
    const captured = capturingLogger();
    lines = captured.lines;
    t = await startTestServer(kind, { logger: captured.logger });
  });
  afterAll(async () => {
    await t.close();
  });

  it('/healthz answers 200 with the database kind', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: kind, seq: expect.any(Number) });
  });

  it('/metrics serves Prometheus text whose counters move with requests', async () => {
    const read = async () => {
      const res = await fetch(`${t.url}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const before = await read();
    expect(before).toMatch(/# TYPE offgrid_http_requests_total counter/);
    expect(before).toMatch(/# TYPE offgrid_graphql_duration_seconds histogram/);
    expect(before).toMatch(/^offgrid_process_cpu_user_seconds_total /m);
    await t.gql('mutation { createTodo(input: { id: "m1", title: "x" }) { id } }');
    await t.gql('mutation { createTodo(input: { id: "m1", title: "again" }) { id } }');
    await t.gql('query { listTodos { items { id } } }', {}, { 'x-api-key': 'wrong' });
    const after = await read();
    const ok = { route: '/graphql', status: '200' };
    expect(sample(after, 'offgrid_http_requests_total', ok) - sample(before, 'offgrid_http_requests_total', ok)).toBe(2);
    const refused = { route: '/graphql', status: '401' };
    expect(sample(after, 'offgrid_http_requests_total', refused) - sample(before, 'offgrid_http_requests_total', refused)).toBe(1);
    expect(sample(after, 'offgrid_mutations_total', { model: 'Todo', outcome: 'ok' })).toBe(1);
    expect(sample(after, 'offgrid_mutations_total', { model: 'Todo', outcome: 'ConditionalCheckFailedException' })).toBe(1);
    expect(sample(after, 'offgrid_graphql_duration_seconds_count', { type: 'mutation' })).toBeGreaterThanOrEqual(2);
  });

  it('writes structured JSON log lines for requests and refusals', async () => {
    await t.gql('query { getTodo(id: "m1") { id } }');
    await t.gql('query { getTodo(id: "m1") { id } }', {}, { 'x-api-key': 'not-a-key' });
    const request = lines.find((l) => l.msg === 'request' && l.route === '/graphql' && l.status === 200);
    expect(request).toMatchObject({ level: 20, method: 'POST', status: 200, ms: expect.any(Number), address: expect.any(String) });
    const refusal = lines.find((l) => l.msg === 'request refused' && l.status === 401);
    expect(refusal).toMatchObject({ level: 30, route: '/graphql', reason: expect.stringMatching(/API key is not valid/) });
    expect(lines.find((l) => l.msg === 'offgrid server listening')).toMatchObject({ database: kind, url: t.url });
  });

  it('logs a refused WebSocket connection', async () => {
    const client = wsClient(t.url, { 'x-api-key': 'nope' });
    const s = subscribe(client, 'subscription { onCreateTodo { id } }');
    expect(((await s.ended) as { code: number }).code).toBe(4403);
    await client.dispose();
    expect(lines.find((l) => l.msg === 'websocket connection refused')).toMatchObject({ level: 30, reason: expect.stringMatching(/API key is not valid/) });
  });
});

describe.each(DATABASES)('graceful shutdown on %s', (kind) => {
  it('finishes an in-flight request, refuses new ones, then closes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inResolver = new Promise<void>((resolve) => (entered = resolve));
    const { logger, lines } = capturingLogger();
    const t = await startTestServer(kind, {
      logger,
      conflicts: {
        // A CUSTOM resolver that waits for the test: the request stays in flight inside its transaction.
        Ticket: {
          strategy: 'CUSTOM',
          resolve: async ({ incoming, stored }) => {
            entered();
            await gate;
            return { action: 'resolve', record: { ...stored, ...incoming } };
          },
        },
      },
    });
    const closeAndCleanUp = t.close;
    await t.gql('mutation { createTicket(input: { id: "slow", state: "open" }) { id } }');
    await t.gql('mutation { updateTicket(input: { id: "slow", state: "closed", _version: 1 }) { id } }');

    const slow = t.gql('mutation { updateTicket(input: { id: "slow", assignee: "bo", _version: 1 }) { id state assignee _version } }');
    await inResolver;
    let closed = false;
    const closing = t.server.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);

    // New requests are refused: the listener is closed (connection refused), or a kept-alive socket gets 503.
    const fresh = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
      body: JSON.stringify({ query: 'mutation { createTodo(input: { id: "late", title: "x" }) { id } }' }),
    }).then(
      (res) => res.status,
      (error: Error) => (error.cause as { code?: string } | undefined)?.code ?? error.message,
    );
    expect([503, 'ECONNREFUSED']).toContain(fresh);

    release();
    const done = await slow;
    expect(done.status).toBe(200);
    expect(done.body.errors).toBeUndefined();
    expect(done.body.data.updateTicket).toMatchObject({ state: 'closed', assignee: 'bo', _version: 3 });
    await closing;
    expect(closed).toBe(true);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['offgrid server shutting down', 'offgrid server closed']));

    await closeAndCleanUp();
  });
});

describe('/metrics behind a token', () => {
  let t: TestServer;
  const token = 'a-metrics-token-long-enough';
  beforeAll(async () => {
    t = await startTestServer('sqlite', { metrics: { token } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 401 without the token or with another, and serves the metrics with it', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer a-metrics-token-long-enougX' } })).status).toBe(401);
    const ok = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^offgrid_websocket_connections /m);
    // Health checks stay open: load balancers do not carry the token.
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});

describe('/metrics on a port of its own (metrics.port)', () => {
  let t: TestServer;
  const token = 'a-metrics-token-long-enough';
  beforeAll(async () => {
    t = await startTestServer('sqlite', { metrics: { port: 0, token } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves /metrics only on the metrics listener, still behind its token; the public port answers 404', async () => {
    const metricsUrl = t.server.metricsUrl;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metricsUrl).not.toBe(t.url);
    const onPublic = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(onPublic.status).toBe(404);
    expect((await onPublic.json()).errors[0].message).toMatch(/metrics\.port/);
    expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(401);
    const ok = await fetch(`${metricsUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^offgrid_websocket_connections /m);
    // Only metrics there: the API is not reachable through the metrics port.
    const api = await fetch(`${metricsUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY }, body: '{"query":"{ __typename }"}' });
    expect(api.status).toBe(404);
  });

  it('closes the metrics listener with the server', async () => {
    const other = await startTestServer('sqlite', { metrics: { port: 0 } });
    const metricsUrl = other.server.metricsUrl!;
    expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(200);
    await other.close();
    await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
  });

  it('refuses a metrics.port that is not a port, naming the option', async () => {
    await expect(startTestServer('sqlite', { metrics: { port: 70000 } })).rejects.toThrow(/metrics\.port/);
  });
});
