import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { attachAppSyncRealtime } from './realtime-server';
import { startTestServer, TEST_API_KEY, type TestServer } from '../test-support/test-server';
import { SignJWT } from 'jose';
import { signToken } from '../test-support/tokens';
import { DATABASES, JWT_SECRET } from '../test-support/test-server';
import { connectRealtime, type RealtimeTestClient } from '../test-support/realtime-client';
import { subscribe, waitForSubscriptions, wsClient } from '../test-support/graphql-ws-client';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Opens the AppSync real-time socket the way Amplify v6 does and collects messages. */
async function connect(t: TestServer, auth: Record<string, string>) {
  const host = new URL(t.url).host;
  const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', `header-${b64url({ host, ...auth })}`]);
  const messages: any[] = [];
  ws.on('message', (m) => messages.push(JSON.parse(String(m))));
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
    throw new Error(`no message matched; got ${JSON.stringify(messages)}`);
  };
  return { ws, messages, waitFor };
}

describe.each(['sqlite', 'postgres'] as const)('AppSync real-time protocol on %s', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
    attachAppSyncRealtime(t.server, t.schema, { keepAliveMs: 200 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('acks the connection with a timeout, keeps it alive, and delivers data for a start', async () => {
    const c = await connect(t, { 'x-api-key': TEST_API_KEY });
    expect(c.ws.protocol).toBe('graphql-ws');
    c.ws.send(JSON.stringify({ type: 'connection_init' }));
    expect(await c.waitFor((m) => m.type === 'connection_ack')).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
    await c.waitFor((m) => m.type === 'ka');
    c.ws.send(JSON.stringify({
      id: 'sub-1',
      type: 'start',
      payload: { data: JSON.stringify({ query: 'subscription operation { onCreateTodo { id title _version _deleted _lastChangedAt } }', variables: {} }), extensions: { authorization: { host: 'x', 'x-api-key': TEST_API_KEY } } },
    }));
    await c.waitFor((m) => m.type === 'start_ack' && m.id === 'sub-1');
    await t.gql('mutation { createTodo(input: { id: "rt-1", title: "live" }) { id } }');
    const data = await c.waitFor((m) => m.type === 'data');
    expect(data).toMatchObject({ id: 'sub-1', payload: { data: { onCreateTodo: { id: 'rt-1', title: 'live', _version: 1 } } } });
    c.ws.send(JSON.stringify({ type: 'stop', id: 'sub-1' }));
    await c.waitFor((m) => m.type === 'complete' && m.id === 'sub-1');
    c.ws.close();
  });

  it('never delivers a record the subscriber may not read (owner rules, JWT without Bearer)', async () => {
    const alice = await signToken('alice');
    const bob = await signToken('bob');
    const c = await connect(t, { Authorization: bob });
    c.ws.send(JSON.stringify({ type: 'connection_init' }));
    await c.waitFor((m) => m.type === 'connection_ack');
    c.ws.send(JSON.stringify({
      id: 's',
      type: 'start',
      payload: { data: JSON.stringify({ query: 'subscription { onCreateSecret(owner: "bob") { id body owner } }' }), extensions: { authorization: { Authorization: bob } } },
    }));
    await c.waitFor((m) => m.type === 'start_ack');
    await t.gql('mutation { createSecret(input: { id: "a-secret", body: "alice only" }) { id } }', {}, { authorization: alice });
    await t.gql('mutation { createSecret(input: { id: "b-secret", body: "bob" }) { id } }', {}, { authorization: bob });
    const data = await c.waitFor((m) => m.type === 'data');
    expect(data.payload.data.onCreateSecret.id).toBe('b-secret');
    await new Promise((r) => setTimeout(r, 100));
    expect(c.messages.filter((m) => m.type === 'data').map((m) => m.payload.data.onCreateSecret.id)).toEqual(['b-secret']);
    c.ws.close();
  });

  it("matches Amplify's owner argument (cognito:username) to a record owned by the caller's sub", async () => {
    // A Cognito-style token: the owner field holds the `sub`, Amplify's generated models subscribe with the username.
    const carol = await new SignJWT({ 'cognito:username': 'carol' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-carol').setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
    const dave = await signToken('dave');
    const c = await connect(t, { Authorization: carol });
    c.ws.send(JSON.stringify({ type: 'connection_init' }));
    await c.waitFor((m) => m.type === 'connection_ack');
    c.ws.send(JSON.stringify({
      id: 's',
      type: 'start',
      payload: { data: JSON.stringify({ query: 'subscription { onCreateSecret(owner: "carol") { id owner } }' }), extensions: { authorization: { Authorization: carol } } },
    }));
    await c.waitFor((m) => m.type === 'start_ack');
    await t.gql('mutation { createSecret(input: { id: "d-secret", body: "dave" }) { id } }', {}, { authorization: dave });
    await t.gql('mutation { createSecret(input: { id: "c-secret", body: "carol" }) { id } }', {}, { authorization: carol });
    const data = await c.waitFor((m) => m.type === 'data');
    expect(data.payload.data.onCreateSecret).toEqual({ id: 'c-secret', owner: 'u-carol' });
    await new Promise((r) => setTimeout(r, 100));
    expect(c.messages.filter((m) => m.type === 'data')).toHaveLength(1);
    c.ws.close();
  });

  it("getX returns a tombstone to a caller that selects _deleted (Amplify's DISCARD path), null otherwise", async () => {
    await t.gql('mutation { createTodo(input: { id: "gone-1", title: "gone" }) { id } }');
    await t.gql('mutation { deleteTodo(input: { id: "gone-1", _version: 1 }) { id } }');
    expect((await t.gql('query { getTodo(id: "gone-1") { id title } }')).body.data.getTodo).toBeNull();
    expect((await t.gql('query { getTodo(id: "gone-1") { id title _version _deleted } }')).body.data.getTodo).toEqual({ id: 'gone-1', title: 'gone', _version: 2, _deleted: true });
  });

  it('refuses bad credentials with an error message, and unknown fields with a GraphQL error', async () => {
    const bad = await connect(t, { 'x-api-key': 'nope' });
    bad.ws.send(JSON.stringify({ type: 'connection_init' }));
    const err = await bad.waitFor((m) => m.type === 'connection_error');
    expect(err.payload.errors[0].errorType).toBe('UnauthorizedException');
    const c = await connect(t, { 'x-api-key': TEST_API_KEY });
    c.ws.send(JSON.stringify({ type: 'connection_init' }));
    await c.waitFor((m) => m.type === 'connection_ack');
    c.ws.send(JSON.stringify({ id: 'x', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { onCreateNope { id } }' }), extensions: { authorization: { 'x-api-key': TEST_API_KEY } } } }));
    const e = await c.waitFor((m) => m.type === 'error' && m.id === 'x');
    expect(e.payload.errors[0].message).toMatch(/onCreateNope/);
    c.ws.close();
  });

  it('accepts the v5 handshake (?header=&payload=)', async () => {
    const header = Buffer.from(JSON.stringify({ host: 'x', 'x-api-key': TEST_API_KEY })).toString('base64');
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/realtime?header=${encodeURIComponent(header)}&payload=e30=`, ['graphql-ws']);
    const msgs: any[] = [];
    ws.on('message', (m) => msgs.push(JSON.parse(String(m))));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    const deadline = Date.now() + 3000;
    while (!msgs.some((m) => m.type === 'connection_ack') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(msgs.some((m) => m.type === 'connection_ack')).toBe(true);
    ws.close();
  });
});

/** A token for `sub` that expires `seconds` from now (JWT `exp` has whole seconds). */
function tokenExpiringIn(sub: string, seconds: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

const ON_CREATE_TODO = 'subscription { onCreateTodo { id title } }';
const dataIds = (c: RealtimeTestClient, id?: string) => c.messages.filter((m) => m.type === 'data' && (id === undefined || m.id === id)).map((m) => m.payload.data.onCreateTodo.id);
const settle = () => new Promise((r) => setTimeout(r, 300));

describe.each(DATABASES)('AppSync real-time token expiry and subscription limits on %s', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    // A rate limit high enough that the bursts below meet the subscription limit, not the rate limit.
    t = await startTestServer(kind, { limits: { maxRequestsPerSecond: 2000 } });
    attachAppSyncRealtime(t.server, t.schema, { keepAliveMs: 200 });
  });
  afterAll(async () => {
    await t.close();
  });

  it("stops delivering when the connection's token expires: an UnauthorizedException per subscription, then close 4401", async () => {
    const token = await tokenExpiringIn('alice', 3);
    const c = await connectRealtime(t.url, { Authorization: token });
    await c.init();
    c.start('exp', ON_CREATE_TODO, { Authorization: token });
    await c.waitFor((m) => m.type === 'start_ack' && m.id === 'exp');
    await t.gql('mutation { createTodo(input: { id: "before-expiry", title: "x" }) { id } }');
    await c.waitFor((m) => m.type === 'data' && m.id === 'exp');
    const closed = await c.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/token has expired/);
    const error = c.messages.find((m) => m.type === 'error' && m.id === 'exp');
    expect(error.payload.errors[0].errorType).toBe('UnauthorizedException');
    expect(error.payload.errors[0].message).toMatch(/Token has expired/);
    await t.gql('mutation { createTodo(input: { id: "after-expiry", title: "x" }) { id } }');
    await settle();
    expect(dataIds(c)).toEqual(['before-expiry']);
  });

  it('ends a subscription whose own token expires, while the connection and its other subscriptions go on', async () => {
    const token = await tokenExpiringIn('alice', 3);
    const c = await connectRealtime(t.url, { 'x-api-key': TEST_API_KEY });
    await c.init();
    c.start('short', ON_CREATE_TODO, { Authorization: token });
    c.start('key', ON_CREATE_TODO, { 'x-api-key': TEST_API_KEY });
    await c.waitFor((m) => m.type === 'start_ack' && m.id === 'short');
    await c.waitFor((m) => m.type === 'start_ack' && m.id === 'key');
    const error = await c.waitFor((m) => m.type === 'error' && m.id === 'short', 6000);
    expect(error.payload.errors[0].errorType).toBe('UnauthorizedException');
    await t.gql('mutation { createTodo(input: { id: "after-sub-expiry", title: "x" }) { id } }');
    await c.waitFor((m) => m.type === 'data' && m.id === 'key');
    await settle();
    expect(dataIds(c, 'short')).toEqual([]);
    expect(dataIds(c, 'key')).toEqual(['after-sub-expiry']);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
  });

  it('refuses a connection_init whose token has already expired', async () => {
    const c = await connectRealtime(t.url, { Authorization: await signToken('alice', { expiresIn: '-1m' }) });
    await c.init();
    expect((await c.waitFor((m) => m.type === 'connection_error')).payload.errors[0].errorType).toBe('UnauthorizedException');
  });

  it('holds the subscription limit under a burst: 300 starts sent at once, 100 accepted, one change delivered 100 times', async () => {
    const c = await connectRealtime(t.url, { 'x-api-key': TEST_API_KEY });
    await c.init();
    for (let i = 0; i < 300; i++) c.start(`burst-${i}`, ON_CREATE_TODO, { 'x-api-key': TEST_API_KEY });
    await c.waitFor(() => c.messages.filter((m) => (m.type === 'start_ack' || m.type === 'error') && String(m.id).startsWith('burst-')).length === 300, 15_000);
    const acks = c.messages.filter((m) => m.type === 'start_ack');
    const refused = c.messages.filter((m) => m.type === 'error');
    expect(acks).toHaveLength(100);
    expect(refused).toHaveLength(200);
    expect(refused[0].payload.errors[0].errorType).toBe('MaxSubscriptionsReachedError');
    expect(refused[0].payload.errors[0].message).toMatch(/100 subscriptions \(limits\.maxSubscriptionsPerConnection\)/);
    await t.gql('mutation { createTodo(input: { id: "burst-change", title: "x" }) { id } }');
    await c.waitFor(() => dataIds(c).length >= 100);
    await settle();
    expect(dataIds(c)).toHaveLength(100);
    // A stopped subscription frees its place.
    c.ws.send(JSON.stringify({ type: 'stop', id: acks[0].id }));
    await c.waitFor((m) => m.type === 'complete' && m.id === acks[0].id);
    c.start('after-stop', ON_CREATE_TODO, { 'x-api-key': TEST_API_KEY });
    await c.waitFor((m) => m.type === 'start_ack' && m.id === 'after-stop');
    c.ws.close();
  });

  it('refuses a duplicate subscription id, sent at once or later, and delivers each change once', async () => {
    const c = await connectRealtime(t.url, { 'x-api-key': TEST_API_KEY });
    await c.init();
    c.start('dup', ON_CREATE_TODO, { 'x-api-key': TEST_API_KEY });
    c.start('dup', ON_CREATE_TODO, { 'x-api-key': TEST_API_KEY });
    await c.waitFor((m) => m.type === 'start_ack' && m.id === 'dup');
    c.start('dup', ON_CREATE_TODO, { 'x-api-key': TEST_API_KEY });
    await c.waitFor(() => c.messages.filter((m) => m.type === 'error' && m.id === 'dup').length === 2);
    const errors = c.messages.filter((m) => m.type === 'error');
    expect(errors.map((m) => m.payload.errors[0].errorType)).toEqual(['DuplicatedOperationError', 'DuplicatedOperationError']);
    expect(errors[0].payload.errors[0].message).toMatch(/Duplicated operation with id dup/);
    expect(c.messages.filter((m) => m.type === 'start_ack')).toHaveLength(1);
    await t.gql('mutation { createTodo(input: { id: "dup-change", title: "x" }) { id } }');
    await c.waitFor((m) => m.type === 'data');
    await settle();
    expect(dataIds(c)).toEqual(['dup-change']);
    c.ws.close();
  });

  it('holds the subscription limit under a burst on graphql-ws too', async () => {
    const client = wsClient(t.url, { 'x-api-key': TEST_API_KEY });
    try {
      const subs = Array.from({ length: 300 }, () => subscribe(client, ON_CREATE_TODO));
      await waitForSubscriptions(t.url, 100, 15_000);
      await t.gql('mutation { createTodo(input: { id: "ws-burst", title: "x" }) { id } }');
      const ends = await Promise.all(subs.map((s) => Promise.race([s.ended, s.nth(1, 5000).then(() => 'live')])));
      expect(ends.filter((e) => e === 'live')).toHaveLength(100);
      const refused = ends.filter((e) => Array.isArray(e)) as Array<Array<{ errorType: string }>>;
      expect(refused).toHaveLength(200);
      expect(refused[0]![0]!.errorType).toBe('LimitExceeded');
      await settle();
      expect(subs.reduce((n, s) => n + s.events.length, 0)).toBe(100);
    } finally {
      await client.dispose();
    }
  });
});
