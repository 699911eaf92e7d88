import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, waitForSubscriptions, wsClient } from './test-support/graphql-ws-client';
import { SignJWT } from 'jose';
import { DATABASES, JWT_SECRET, startTestServer, TEST_API_KEY, type TestServer } from './test-support/test-server';
import { signToken } from './test-support/tokens';

const NOTE = 'id text owner _version _deleted';
const ON_CREATE_NOTE = `subscription { onCreateNote { ${NOTE} } }`;

describe.each(DATABASES)('subscriptions on %s', (kind) => {
  let t: TestServer;
  let clients: Client[] = [];
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestServer(kind, { limits: { maxSubscriptionsPerConnection: 3, maxMessageBytes: 4096 } });
    tokens.alice = await signToken('alice');
    tokens.bob = await signToken('bob');
    tokens.carol = await signToken('carol', { groups: ['Admins'] });
  });
  afterEach(async () => {
    for (const c of clients) await c.dispose();
    clients = [];
    // Let the server see the sockets go before the next test counts subscriptions.
    await waitForSubscriptions(t.url, 0);
  });
  afterAll(async () => {
    await t.close();
  });

  const client = (params: Record<string, unknown>) => {
    const c = wsClient(t.url, params);
    clients.push(c);
    return c;
  };
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

  it('delivers each record only to subscribers who may read it (owner, group, public)', async () => {
    const alice = subscribe(client({ Authorization: tokens.alice }), ON_CREATE_NOTE); // a bare token, no "Bearer"
    const bob = subscribe(client({ Authorization: `Bearer ${tokens.bob}` }), ON_CREATE_NOTE);
    const carol = subscribe(client({ Authorization: `Bearer ${tokens.carol}` }), ON_CREATE_NOTE);
    const key = subscribe(client({ 'x-api-key': TEST_API_KEY }), ON_CREATE_NOTE);
    await waitForSubscriptions(t.url, 4);

    const a = await t.gql('mutation { createNote(input: { id: "sub-a", text: "alice only" }) { id owner } }', {}, as('alice'));
    expect(a.body.data.createNote.owner).toBe('alice');
    const b = await t.gql('mutation { createNote(input: { id: "sub-b", text: "bob only" }) { id owner } }', {}, as('bob'));
    expect(b.body.data.createNote.owner).toBe('bob');

    expect((await alice.nth(1)).data.onCreateNote).toMatchObject({ id: 'sub-a', owner: 'alice', _version: 1 });
    // Records reach a subscriber in commit order, so bob's first event being his own proves he never got alice's.
    expect((await bob.nth(1)).data.onCreateNote.id).toBe('sub-b');
    expect((await carol.nth(2)).data.onCreateNote.id).toBe('sub-b');
    expect(carol.events.map((e) => e.data.onCreateNote.id)).toEqual(['sub-a', 'sub-b']);
    expect((await key.nth(2)).data.onCreateNote.id).toBe('sub-b');

    // A later record for alice: by then bob's stream still holds only his own.
    await t.gql('mutation { createNote(input: { id: "sub-a2", text: "alice again" }) { id } }', {}, as('alice'));
    expect((await alice.nth(2)).data.onCreateNote.id).toBe('sub-a2');
    expect((await carol.nth(3)).data.onCreateNote.id).toBe('sub-a2');
    expect(alice.events.map((e) => e.data.onCreateNote.id)).toEqual(['sub-a', 'sub-a2']);
    expect(bob.events.map((e) => e.data.onCreateNote.id)).toEqual(['sub-b']);
  });

  it('updates and deletes of a record are not delivered to subscribers who may not read it', async () => {
    const c = client(as('bob'));
    const bobUpdates = subscribe(c, `subscription { onUpdateNote { ${NOTE} } }`);
    const bobDeletes = subscribe(c, `subscription { onDeleteNote { ${NOTE} } }`);
    const aliceDeletes = subscribe(client(as('alice')), `subscription { onDeleteNote { ${NOTE} } }`);
    await waitForSubscriptions(t.url, 3);
    await t.gql('mutation { createNote(input: { id: "ud-a", text: "a" }) { id } }', {}, as('alice'));
    await t.gql('mutation { updateNote(input: { id: "ud-a", text: "a2", _version: 1 }) { id } }', {}, as('alice'));
    await t.gql('mutation { deleteNote(input: { id: "ud-a", _version: 2 }) { id } }', {}, as('alice'));
    await t.gql('mutation { createNote(input: { id: "ud-b", text: "b" }) { id } }', {}, as('bob'));
    await t.gql('mutation { updateNote(input: { id: "ud-b", text: "b2", _version: 1 }) { id } }', {}, as('bob'));
    await t.gql('mutation { deleteNote(input: { id: "ud-b", _version: 2 }) { id } }', {}, as('bob'));
    expect((await bobUpdates.nth(1)).data.onUpdateNote).toMatchObject({ id: 'ud-b', _version: 2 });
    expect((await bobDeletes.nth(1)).data.onDeleteNote).toMatchObject({ id: 'ud-b', _deleted: true });
    expect((await aliceDeletes.nth(1)).data.onDeleteNote).toMatchObject({ id: 'ud-a', _deleted: true });
  });

  it("the owner argument cannot widen what a subscriber sees", async () => {
    const bobAsksForAlice = subscribe(client(as('bob')), `subscription { onCreateNote(owner: "alice") { ${NOTE} } }`);
    const bobOwn = subscribe(client(as('bob')), `subscription { onCreateNote(owner: "bob") { ${NOTE} } }`);
    await waitForSubscriptions(t.url, 2);
    await t.gql('mutation { createNote(input: { id: "own-a", text: "a" }) { id } }', {}, as('alice'));
    await t.gql('mutation { createNote(input: { id: "own-b", text: "b" }) { id } }', {}, as('bob'));
    expect((await bobOwn.nth(1)).data.onCreateNote.id).toBe('own-b');
    expect(bobAsksForAlice.events).toEqual([]);
  });

  it('subscription filters apply', async () => {
    const s = subscribe(client({ 'x-api-key': TEST_API_KEY }), 'subscription { onCreateTodo(filter: { priority: { gt: 5 } }) { id priority } }');
    await waitForSubscriptions(t.url, 1);
    await t.gql('mutation { createTodo(input: { id: "flt-1", title: "low", priority: 1 }) { id } }');
    await t.gql('mutation { createTodo(input: { id: "flt-2", title: "high", priority: 9 }) { id } }');
    expect((await s.nth(1)).data.onCreateTodo.id).toBe('flt-2');
  });

  it('refuses a subscription to a model the caller may never read', async () => {
    const s = subscribe(client({ 'x-api-key': TEST_API_KEY }), 'subscription { onCreateSecret { id body } }');
    const first = await s.nth(1);
    expect(first.errors[0]).toMatchObject({ errorType: 'Unauthorized' });
    expect(first.errors[0].message).toMatch(/Not Authorized to access Secret/);
  });

  it.each([
    ['an unknown API key', { 'x-api-key': 'nope' }],
    ['no credentials', {}],
    ['a garbage token', { Authorization: 'Bearer garbage' }],
  ])('refuses a WebSocket with %s (close 4403)', async (_name, params) => {
    const s = subscribe(client(params), ON_CREATE_NOTE);
    const ended = (await s.ended) as { code?: number; reason?: string };
    expect(ended.code).toBe(4403);
    expect(ended.reason).toBe('Forbidden');
  });

  it('refuses a WebSocket with an expired token', async () => {
    const expired = await signToken('alice', { expiresIn: '-1m' });
    const s = subscribe(client({ Authorization: expired }), ON_CREATE_NOTE);
    expect(((await s.ended) as { code: number }).code).toBe(4403);
  });

  it('closes a subscriber\'s connection when its token expires (4401), so it stops receiving records', async () => {
    const shortLived = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime(Math.floor(Date.now() / 1000) + 3) // whole seconds: +1 could be ~0 s away on a busy machine
      .sign(new TextEncoder().encode(JWT_SECRET));
    const s = subscribe(client({ Authorization: shortLived }), ON_CREATE_NOTE);
    await waitForSubscriptions(t.url, 1);
    const ended = (await s.ended) as { code: number; reason: string };
    expect(ended.code).toBe(4401);
    expect(ended.reason).toMatch(/token has expired/);
    await t.gql('mutation { createNote(input: { id: "after-ws-expiry", text: "x" }) { id } }', {}, { authorization: await signToken('alice') });
    await new Promise((r) => setTimeout(r, 300));
    expect(s.events).toEqual([]);
  });

  it(`limits subscriptions per connection`, async () => {
    const c = client({ 'x-api-key': TEST_API_KEY });
    const subs = [1, 2, 3].map(() => subscribe(c, 'subscription { onCreateTodo { id } }'));
    await waitForSubscriptions(t.url, 3);
    const fourth = subscribe(c, 'subscription { onUpdateTodo { id } }');
    const ended = (await fourth.ended) as Array<{ message: string; errorType: string }>;
    expect(ended[0]).toMatchObject({ errorType: "LimitExceeded" });
    expect(ended[0]!.message).toMatch(/already has 3 subscriptions/);
    // The three that fit still work.
    await t.gql('mutation { createTodo(input: { id: "lim-1", title: "x" }) { id } }');
    for (const s of subs) expect((await s.nth(1)).data.onCreateTodo.id).toBe('lim-1');
  });

  it('closes a WebSocket that sends a message over the size limit (1009), and nothing is written', async () => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': TEST_API_KEY } }));
    await new Promise((resolve) => ws.once('message', resolve)); // connection_ack
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    const big = 'x'.repeat(8000);
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `mutation { createTodo(input: { id: "ws-big", title: "${big}" }) { id } }` } }));
    expect((await closed).code).toBe(1009);
    const { body } = await t.gql('query { getTodo(id: "ws-big") { id } }');
    expect(body.data.getTodo).toBeNull();
  });
});
