import { parseSchema } from '@offgrid/schema';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_SDL, SECRET, token } from './auth-fixtures';
import { FaultProxy } from './fault-proxy';
import { API_KEY, createClient, DATABASES, eventually, sleep, startServer, type RunningServer, type TestClient } from './harness';

/**
 * Each model syncs on its own, with the credential its `@auth` rules call for (LESSONS.md scenario 18,
 * issue 12 item 8, issue 15 item 1). A model the caller may not read is reported once and never holds back
 * the others; it is tried again when the credentials change or on `resync()`. With an API key and a token
 * at once (multi-auth), public models use the key and owner/group models the token, per operation.
 */
const schema = parseSchema(AUTH_SDL);

describe.each(DATABASES)('each model syncs on its own, with the credential its @auth rules call for, on %s', (kind) => {
  let server: RunningServer;
  let alice: string;
  let bob: string;
  let admin: string;
  const clients: TestClient[] = [];
  const proxies: FaultProxy[] = [];
  const client = (url: string, auth: { apiKey?: string; token?: () => Promise<string | undefined> | string | undefined }) => {
    const c = createClient(url, { schema, sync: { auth: auth as never } });
    clients.push(c);
    return c;
  };
  const as = async (jwt: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: jwt }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data?: any; errors?: unknown[] };
  };
  const local = async (c: TestClient, model: string) => (await c.store.query(model as never)) as Array<Record<string, any>>;
  const refusals = (c: TestClient, model?: string) => c.events.filter((e) => e.event === 'modelSyncRefused' && (model === undefined || e.data.model === model));
  const authErrors = (c: TestClient) => c.events.filter((e) => e.event === 'syncError' && /Not Authorized/.test(e.data.message));

  beforeAll(async () => {
    server = await startServer(kind, { schema, auth: { apiKeys: [API_KEY], jwt: { secret: SECRET } }, conflicts: {} });
    [alice, bob, admin] = await Promise.all([token('alice'), token('bob'), token('root', ['Admin'])]);
    await server.gql('mutation { createPost(input: { id: "p1", title: "public one" }) { id } }');
    for (const [jwt, q] of [
      [alice, 'mutation { createNote(input: { id: "n-alice", text: "alice only" }) { id } }'],
      [bob, 'mutation { createNote(input: { id: "n-bob", text: "bob only" }) { id } }'],
      [alice, 'mutation { createProfile(input: { id: "pr-alice", name: "Alice" }) { id } }'],
      [admin, 'mutation { createSecret(input: { id: "s1", text: "admins only" }) { id } }'],
    ] as const) {
      const r = await as(jwt, q);
      expect(r.errors).toBeUndefined();
    }
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.store.close()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await server.close();
  });

  it('an API-key client syncs the public models; the owner and group models are reported once and hold nothing back', async () => {
    const a = client(server.graphqlUrl, { apiKey: API_KEY });
    const { Post } = a.store.models as Record<string, any>;
    await a.store.start();
    await eventually(async () => (await local(a, 'Post')).some((p) => p.id === 'p1'), 10_000, 'the public Post');
    await eventually(async () => (await local(a, 'Profile')).some((p) => p.id === 'pr-alice'), 10_000, 'the publicly readable Profile');
    await eventually(() => a.store.isSynced('Post') && a.store.isSynced('Profile'), 10_000, 'Post and Profile synced');
    expect(a.store.isSynced('Note')).toBe(false);
    expect(a.store.isSynced('Secret')).toBe(false);
    // Live changes of the public model arrive (its subscription runs though the others are refused).
    await server.gql('mutation { createPost(input: { id: "p-live", title: "after sync" }) { id } }');
    await eventually(async () => (await local(a, 'Post')).some((p) => p.id === 'p-live'), 10_000, 'a live Post');
    // Pushes of the public model go through, and wake the loop a few times.
    for (let i = 0; i < 3; i++) await a.store.save(new Post({ id: `p-key-${i}`, title: `from the key ${i}` }));
    await eventually(async () => (await a.store.pendingMutations()).length === 0, 10_000, 'the pushes');
    expect((await server.gql('{ getPost(id: "p-key-2") { id } }')).data.getPost).toEqual({ id: 'p-key-2' });

    expect(refusals(a, 'Note')).toHaveLength(1);
    expect(refusals(a, 'Secret')).toHaveLength(1);
    expect(refusals(a, 'Post')).toHaveLength(0);
    const [refusal] = refusals(a, 'Note');
    expect(refusal!.data.error).toBeInstanceOf(Error);
    expect(refusal!.data.error.code).toBe('SYNC_MODEL_REFUSED');
    expect(refusal!.data.message).toMatch(/Note is not synced/);
    expect(authErrors(a)).toHaveLength(0);
    let status: any;
    a.store.syncStatus$.subscribe((s) => (status = s)).unsubscribe();
    expect(Object.keys(status.refused).sort()).toEqual(['Note', 'Secret']);
    expect(await local(a, 'Note')).toEqual([]);

    // resync() tries the refused models again: refused again, reported again, the rest still synced.
    await a.store.resync();
    await eventually(() => refusals(a, 'Note').length === 2, 10_000, 'the retried refusal');
    expect(a.store.isSynced('Post')).toBe(true);
  });

  it('a signed-in user outside a group-only model syncs the rest; signing in as an admin brings the group model', async () => {
    let current: string | undefined = alice;
    const a = client(server.graphqlUrl, { token: () => current });
    const { Note } = a.store.models as Record<string, any>;
    await a.store.start();
    await eventually(async () => (await local(a, 'Note')).some((n) => n.id === 'n-alice'), 10_000, "alice's note");
    await eventually(() => a.store.isSynced('Note'), 10_000, 'Note synced');
    expect((await local(a, 'Note')).map((n) => n.id)).toEqual(['n-alice']);
    expect(refusals(a, 'Secret')).toHaveLength(1);
    // Post is public (API key only): a token-only client is refused it, and says so.
    expect(refusals(a, 'Post')).toHaveLength(1);
    expect(authErrors(a)).toHaveLength(0);

    // The credentials change (another subject): noticed on the next wake (here, a local write), and the
    // refused models are tried again with them.
    current = admin;
    await a.store.save(new Note({ id: 'n-admin', text: 'written as admin' }));
    await eventually(async () => (await local(a, 'Secret')).some((s) => s.id === 's1'), 10_000, 'the group model after the change');
    expect(refusals(a, 'Secret')).toHaveLength(1);
  });

  it('multi-auth: an API key and a token at once; each model and operation uses the credential its rules call for', async () => {
    let current: string | undefined;
    const a = client(server.graphqlUrl, { apiKey: API_KEY, token: async () => current });
    const { Note, Post, Profile } = a.store.models as Record<string, any>;
    await a.store.start();
    // Signed out: the public models sync with the key; the owner and group ones are refused once.
    await eventually(async () => (await local(a, 'Post')).some((p) => p.id === 'p1'), 10_000, 'the public Post (signed out)');
    await eventually(() => refusals(a, 'Note').length === 1, 10_000, 'Note refused while signed out');
    expect(await local(a, 'Note')).toEqual([]);

    // Alice signs in: Note syncs with her token, Post keeps the key, Profile (owner first) uses the token.
    current = alice;
    await a.store.resync();
    await eventually(async () => (await local(a, 'Note')).some((n) => n.id === 'n-alice'), 10_000, "alice's note after sign-in");
    await eventually(() => a.store.isSynced('Note') && a.store.isSynced('Post') && a.store.isSynced('Profile'), 10_000, 'all readable models synced');
    expect((await local(a, 'Note')).map((n) => n.id)).toEqual(['n-alice']);
    expect(a.store.isSynced('Secret')).toBe(false);

    // Mutations: each with its model's credential, in one drain.
    await a.store.save(new Note({ id: 'n-multi', text: 'mine' }));
    await a.store.save(new Post({ id: 'p-multi', title: 'public, with the key' }));
    await a.store.save(new Profile({ id: 'pr-multi', name: 'Alice again' }));
    await eventually(async () => (await a.store.pendingMutations()).length === 0, 10_000, 'the pushes');
    expect((await a.store.deadLetters()).length).toBe(0);
    const mine = await as(alice, '{ getNote(id: "n-multi") { id owner } getProfile(id: "pr-multi") { id owner } }');
    expect(mine.data.getNote).toEqual({ id: 'n-multi', owner: 'alice' });
    expect(mine.data.getProfile).toEqual({ id: 'pr-multi', owner: 'alice' });
    expect((await server.gql('{ getPost(id: "p-multi") { id } }')).data.getPost).toEqual({ id: 'p-multi' });

    // Subscriptions: a Note alice writes elsewhere (token socket) and a public Post (key socket) arrive live.
    await as(alice, 'mutation { createNote(input: { id: "n-elsewhere", text: "other device" }) { id } }');
    await server.gql('mutation { createPost(input: { id: "p-multi-live", title: "live" }) { id } }');
    await eventually(async () => (await local(a, 'Note')).some((n) => n.id === 'n-elsewhere'), 10_000, 'a live Note');
    await eventually(async () => (await local(a, 'Post')).some((p) => p.id === 'p-multi-live'), 10_000, 'a live Post');
    // Bob's note never reaches alice's store.
    expect((await local(a, 'Note')).some((n) => n.id === 'n-bob')).toBe(false);
    expect(authErrors(a)).toHaveLength(0);
  });

  it('through the fault proxy: connections cut mid-sync; the public model still syncs and each refusal is reported once', async () => {
    const p = await FaultProxy.start(server.url);
    proxies.push(p);
    const cut = p.cutResponse('syncPosts', 120);
    const a = client(p.graphqlUrl, { apiKey: API_KEY });
    await a.store.start();
    await cut;
    await eventually(() => a.store.isSynced('Post'), 10_000, 'Post synced after the cut');
    for (let i = 0; i < 5; i++) {
      p.dropAll();
      await sleep(30);
    }
    await server.gql('mutation { createPost(input: { id: "p-after-faults", title: "after" }) { id } }');
    await eventually(async () => (await local(a, 'Post')).some((r) => r.id === 'p-after-faults'), 10_000, 'a Post after the faults');
    await eventually(() => a.store.isSynced('Post'), 10_000, 'Post synced after the faults');
    expect(refusals(a, 'Note')).toHaveLength(1);
    expect(refusals(a, 'Secret')).toHaveLength(1);
    expect(a.events.some((e) => e.event === 'syncError')).toBe(true);
    expect(authErrors(a)).toHaveLength(0);
  });
});
