import { parseSchema } from '@offgrid/schema';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { attachAppSyncRealtime } from './appsync/realtime-server';
import { subscribe, wsClient } from './test-support/graphql-ws-client';
import { connectRealtime } from './test-support/realtime-client';
import { DATABASES, startTestServer, TEST_API_KEY, type TestServer } from './test-support/test-server';

const LIMITS_SDL = /* GraphQL */ `
  type Todo @model {
    id: ID!
    title: String!
    priority: Int
  }
  type Ticket @model {
    id: ID!
    state: String!
  }
  type Blog @model {
    id: ID!
    name: String!
    posts: [Post] @hasMany
  }
  type Post @model {
    id: ID!
    title: String!
    blogID: ID
    blog: Blog @belongsTo(fields: ["blogID"])
  }
`;

const PUSH = 'mutation($m: [OffgridMutationInput!]!) { pushMutations(mutations: $m) { mutationId record error { errorType message } } }';

/** Ids of all live Todos, read with the admin key (sees everything). */
async function todoIds(t: TestServer): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | null = null;
  do {
    const { body } = await t.gql('query($n: String) { listTodos(limit: 1000, nextToken: $n) { items { id } nextToken } }', { n: nextToken }, { 'x-api-key': 'admin-key' });
    ids.push(...body.data.listTodos.items.map((i: any) => i.id));
    nextToken = body.data.listTodos.nextToken;
  } while (nextToken);
  return ids.sort();
}

describe.each(DATABASES)('limits on %s', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind, {
      schema: parseSchema(LIMITS_SDL),
      conflicts: {},
      limits: { maxBodyBytes: 16_384, maxQueryDepth: 6, maxQueryCost: 300, maxBatchSize: 3, maxPageBytes: 3000 },
    });
    await t.gql('mutation { createTodo(input: { id: "keep", title: "kept" }) { id } }');
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a request body over maxBodyBytes with 413, declared or streamed, and writes nothing', async () => {
    const query = 'mutation($input: CreateTodoInput!) { createTodo(input: $input) { id } }';
    const big = JSON.stringify({ query, variables: { input: { id: 'too-big', title: 'x'.repeat(20_000) } } });
    const declared = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY }, body: big });
    expect(declared.status).toBe(413);
    const body = await declared.json();
    expect(body.errors[0]).toMatchObject({ errorType: 'LimitExceeded' });
    expect(body.errors[0].message).toMatch(/exceeds the limit of 16384 bytes/);

    const chunks = [big.slice(0, 10_000), big.slice(10_000)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const streamed = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).errors[0].errorType).toBe('LimitExceeded');
    expect(await todoIds(t)).toEqual(['keep']);
  });

  it('refuses a query nested deeper than maxQueryDepth before running it', async () => {
    const { status, body } = await t.gql('query { listBlogs { items { posts { items { blog { posts { items { id } } } } } } } }');
    expect(status).toBe(400);
    expect(body.errors[0].message).toMatch(/nested 8 levels deep; the limit is 6/);
    const shallow = await t.gql('query { listBlogs { items { id } } }');
    expect(shallow.body.errors).toBeUndefined();
  });

  it('refuses a document costing more than maxQueryCost (aliases count), and a refused mutation writes nothing', async () => {
    // Each `getTodo { id }` costs 2 (one object, not a list): 160 of them cost 320.
    const reads = Array.from({ length: 160 }, (_, i) => `a${i}: getTodo(id: "keep") { id }`).join(' ');
    const r = await t.gql(`query { ${reads} }`);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toMatch(/Query cost \d+ exceeds the limit of 300/);
    const writes = Array.from({ length: 160 }, (_, i) => `w${i}: createTodo(input: { id: "c${i}", title: "x" }) { id }`).join(' ');
    const w = await t.gql(`mutation { ${writes} }`);
    expect(w.status).toBe(400);
    expect(w.body.errors[0].message).toMatch(/exceeds the limit of 300/);
    expect(await todoIds(t)).toEqual(['keep']);
  });

  it('measures a fragment bomb (each fragment spreading the next twice) quickly, and refuses it', async () => {
    const n = 40;
    const fragments = Array.from({ length: n }, (_, i) => (i === n - 1 ? `fragment F${i} on Todo { id }` : `fragment F${i} on Todo { ...F${i + 1} ...F${i + 1} }`));
    const started = performance.now();
    const { status, body } = await t.gql(`query { listTodos { items { ...F0 } } }\n${fragments.join('\n')}`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(status).toBe(400);
    expect(body.errors[0].message).toMatch(/Query cost \d+ exceeds the limit of 300/);
  });

  it('refuses a pushMutations batch over maxBatchSize as a whole, applying none of it', async () => {
    const m = Array.from({ length: 4 }, (_, i) => ({ mutationId: `batch-${kind}-${i}`, model: 'Todo', operation: 'CREATE', input: JSON.stringify({ id: `batch-${i}`, title: 'x' }) }));
    const { body } = await t.gql(PUSH, { m });
    expect(body.data).toBeNull();
    expect(body.errors[0]).toMatchObject({ errorType: 'LimitExceeded' });
    expect(body.errors[0].message).toMatch(/got 4 mutations; the limit is 3/);
    expect(await todoIds(t)).toEqual(['keep']);
    // At the limit it goes through.
    const ok = await t.gql(PUSH, { m: m.slice(0, 3) });
    expect(ok.body.data.pushMutations.map((r: any) => r.error)).toEqual([null, null, null]);
    for (const id of ['batch-0', 'batch-1', 'batch-2']) {
      await t.gql(`mutation { deleteTodo(input: { id: "${id}", _version: 1 }) { id } }`);
    }
  });

  it('bounds sync and list pages by bytes, and still moves on past a record bigger than a page', async () => {
    for (let i = 0; i < 4; i++) await t.gql(`mutation { createPost(input: { id: "pb-${i}", title: "${'p'.repeat(1000)}" }) { id } }`);
    await t.gql(`mutation { createPost(input: { id: "pb-huge", title: "${'h'.repeat(5000)}" }) { id } }`);
    for (const field of ['syncPosts', 'listPosts']) {
      const seen: string[] = [];
      let nextToken: string | null = null;
      let pages = 0;
      do {
        const { body } = await t.gql(`query($n: String) { ${field}(limit: 100, nextToken: $n) { items { id title } nextToken } }`, { n: nextToken });
        expect(body.errors).toBeUndefined();
        const items = body.data[field].items;
        // One record may exceed the budget on its own; otherwise a page stays within it.
        if (items.length > 1) expect(JSON.stringify(items).length).toBeLessThan(3000 + 1200);
        seen.push(...items.map((i: any) => i.id));
        nextToken = body.data[field].nextToken;
        pages++;
      } while (nextToken && pages < 20);
      expect(pages).toBeGreaterThan(2);
      expect(seen.sort()).toEqual(['pb-0', 'pb-1', 'pb-2', 'pb-3', 'pb-huge']);
    }
  });
});

describe.each(DATABASES)('rate limits on %s', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind, { schema: parseSchema(LIMITS_SDL), conflicts: {}, limits: { maxRequestsPerSecond: 5 } });
    attachAppSyncRealtime(t.server, t.schema);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 past maxRequestsPerSecond from one address, and a refused request writes nothing', async () => {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.gql(`mutation { createTodo(input: { id: "rate-${i}", title: "x" }) { id } }`).then((r) => ({ i, ...r }))),
    );
    const seconds = (performance.now() - started) / 1000;
    const refused = results.filter((r) => r.status === 429);
    const accepted = results.filter((r) => r.status === 200);
    // A full bucket of 5, refilled at 5 a second while the requests arrive: never more accepted than that.
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(5 + Math.ceil(seconds * 5));
    expect(refused.length).toBe(30 - accepted.length);
    expect(refused[0]!.body.errors[0]).toMatchObject({ errorType: 'LimitExceeded' });
    expect(refused[0]!.body.errors[0].message).toMatch(/More than 5 requests per second/);
    await new Promise((r) => setTimeout(r, 1100));
    const ids = await todoIds(t);
    expect(ids).toEqual(accepted.map((r) => `rate-${r.i}`).sort());
  });

  it('limits messages per second on one AppSync real-time connection', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const c = await connectRealtime(t.url, { 'x-api-key': TEST_API_KEY });
    try {
      await c.init();
      for (let i = 0; i < 30; i++) c.start(`rate-${i}`, 'subscription { onCreateTodo { id } }', { 'x-api-key': TEST_API_KEY });
      await c.waitFor(() => c.messages.filter((m) => (m.type === 'start_ack' || m.type === 'error') && String(m.id).startsWith('rate-')).length === 30);
      const limited = c.messages.filter((m) => m.type === 'error' && m.payload.errors[0].errorType === 'LimitExceededError');
      expect(limited.length).toBeGreaterThanOrEqual(10);
      expect(limited[0].payload.errors[0].message).toMatch(/More than 5 messages per second on this connection \(limits\.maxRequestsPerSecond\)/);
      expect(c.messages.filter((m) => m.type === 'start_ack').length).toBeGreaterThanOrEqual(1);
    } finally {
      c.ws.close();
    }
  });

  it('limits operations per second on one WebSocket connection', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const client: Client = wsClient(t.url, { 'x-api-key': TEST_API_KEY });
    try {
      const subs = Array.from({ length: 8 }, () => subscribe(client, 'subscription { onCreateTodo { id } }'));
      const ends = await Promise.all(subs.map((s) => Promise.race([s.ended, new Promise((r) => setTimeout(() => r('live'), 300))])));
      const limited = ends.filter((e) => Array.isArray(e)) as Array<Array<{ message: string; errorType: string }>>;
      expect(limited.length).toBeGreaterThanOrEqual(3);
      expect(limited[0]![0]).toMatchObject({ errorType: 'LimitExceeded' });
      expect(limited[0]![0]!.message).toMatch(/operations per second on this connection/);
      expect(ends.filter((e) => e === 'live').length).toBeGreaterThanOrEqual(1);
    } finally {
      await client.dispose();
    }
  });
});

describe.each(DATABASES)('connection limits on %s', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind, { schema: parseSchema(LIMITS_SDL), conflicts: {}, limits: { maxConnectionsPerAddress: 2, headersTimeoutMs: 500, requestTimeoutMs: 1000 } });
    attachAppSyncRealtime(t.server, t.schema);
  });
  afterAll(async () => {
    await t.close();
  });

  const openSocket = (path: string, protocol: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}${path}`, protocol);
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => reject(Object.assign(new Error(body), { status: res.statusCode })));
      });
      ws.once('error', reject);
    });
  const gauge = async () => Number(/^offgrid_websocket_connections (\d+)/m.exec(await (await fetch(`${t.url}/metrics`)).text())?.[1]);

  it('caps WebSocket connections per client address across both protocols, and counts both in the metric', async () => {
    const graphqlWs = await openSocket('/graphql', 'graphql-transport-ws');
    const realtime = await openSocket('/graphql/realtime', 'graphql-ws');
    expect(await gauge()).toBe(2);
    for (const [path, protocol] of [['/graphql', 'graphql-transport-ws'], ['/graphql/realtime', 'graphql-ws']]) {
      const refused = await openSocket(path!, protocol!).then(
        () => undefined,
        (error: Error & { status?: number }) => error,
      );
      expect(refused?.status).toBe(429);
      expect(refused?.message).toMatch(/More than 2 WebSocket connections from this client \(limits\.maxConnectionsPerAddress\)/);
    }
    expect(await gauge()).toBe(2);
    realtime.close();
    await new Promise((r) => realtime.once('close', r));
    const again = await openSocket('/graphql/realtime', 'graphql-ws');
    graphqlWs.close();
    again.close();
    await new Promise((r) => again.once('close', r));
  });

  /** Sends `text` on a raw socket and never finishes the request; resolves with what came back once the server closed it. */
  const sendHalf = (text: string) =>
    new Promise<string>((resolve) => {
      const { port, hostname } = new URL(t.url);
      const socket = connect(Number(port), hostname);
      let received = '';
      socket.on('data', (c) => (received += c));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(received));
      socket.write(text);
    });

  it('answers 408 and closes a client that sends half its headers (slowloris)', async () => {
    expect(await sendHalf('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n')).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 408 and closes a client that sends half its body, and nothing is written', async () => {
    const body = JSON.stringify({ query: 'mutation { createTodo(input: { id: "half-body", title: "x" }) { id } }' });
    const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-api-key: ${TEST_API_KEY}\r\nContent-Length: ${body.length}\r\n\r\n`;
    expect(await sendHalf(head + body.slice(0, 20))).toMatch(/^HTTP\/1\.1 408/);
    expect(await todoIds(t)).not.toContain('half-body');
  });
});

describe('limit options', () => {
  it.each([
    [{ limits: { maxConnectionsPerAddress: 0 } }, /limits\.maxConnectionsPerAddress must be a whole number, 1 or more; got 0/],
    [{ limits: { maxBodyBytes: '1mb' } }, /limits\.maxBodyBytes must be a whole number, 1 or more; got "1mb"/],
    [{ limits: { maxBodySize: 10 } }, /limits\.maxBodySize must be one of the known limits/],
    [{ limits: { headersTimeoutMs: 5000, requestTimeoutMs: 1000 } }, /limits\.headersTimeoutMs must be at most limits\.requestTimeoutMs \(1000\)/],
    [{ shutdownTimeoutMs: -1 }, /shutdownTimeoutMs must be a number of milliseconds, 0 or more; got -1/],
    [{ metrics: { token: 'short' } }, /metrics\.token must be a string of 16 characters or more/],
    [{ auth: { jwt: { secret: 'x'.repeat(32), clockSkewSeconds: -5 } } }, /auth\.jwt\.clockSkewSeconds must be a number of seconds, 0 or more; got -5/],
  ])('refuses %j at start with what to pass', async (options, message) => {
    await expect(startTestServer('sqlite', { schema: parseSchema(LIMITS_SDL), conflicts: {}, ...(options as object) })).rejects.toThrow(message);
  });
});

describe('production mode', () => {
  let prod: TestServer;
  let dev: TestServer;
  const leaky = { Ticket: { strategy: 'CUSTOM' as const, resolve: () => { throw new Error('cannot reach postgres://app:hunter2@10.0.0.5/prod'); } } };
  beforeAll(async () => {
    prod = await startTestServer('sqlite', { schema: parseSchema(LIMITS_SDL), conflicts: leaky, production: true });
    dev = await startTestServer('sqlite', { schema: parseSchema(LIMITS_SDL), conflicts: leaky });
  });
  afterAll(async () => {
    await prod.close();
    await dev.close();
  });

  it('turns introspection off', async () => {
    const r = await prod.gql('query { __schema { types { name } } }');
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toMatch(/introspection/i);
    const typeQuery = await prod.gql('query { __type(name: "Todo") { fields { name } } }');
    expect(typeQuery.body.errors[0].message).toMatch(/introspection/i);
    const devSchema = await dev.gql('query { __schema { queryType { name } } }');
    expect(devSchema.body.data.__schema.queryType.name).toBe('Query');
  });

  /** A stale update of a Ticket runs the CUSTOM resolver, which fails with a secret in its message. */
  async function failInternally(t: TestServer) {
    await t.gql('mutation { createTicket(input: { id: "t", state: "open" }) { id } }');
    await t.gql('mutation { updateTicket(input: { id: "t", state: "closed", _version: 1 }) { id } }');
    return t.gql('mutation { updateTicket(input: { id: "t", state: "reopened", _version: 1 }) { id } }');
  }

  it('hides internal error details in production, and shows them otherwise', async () => {
    const hidden = await failInternally(prod);
    expect(hidden.status).toBe(200);
    expect(hidden.body.errors[0]).toMatchObject({ errorType: 'InternalFailure', message: 'Internal server error' });
    expect(JSON.stringify(hidden.body)).not.toMatch(/hunter2|postgres:|stack/);
    const shown = await failInternally(dev);
    expect(shown.body.errors[0]).toMatchObject({ errorType: 'InternalFailure' });
    expect(shown.body.errors[0].message).toMatch(/hunter2/);
  });

  it('drops "Did you mean" hints, which would reveal the schema, in production', async () => {
    const prodTypo = await prod.gql('query { listTodo { items { id } } }');
    expect(prodTypo.body.errors[0].message).toBe('Cannot query field "listTodo" on type "Query".');
    const devTypo = await dev.gql('query { listTodo { items { id } } }');
    expect(devTypo.body.errors[0].message).toMatch(/Did you mean "listTodos"/);
  });
});
