// The published aws-amplify v6 DataStore, unmodified, against a real `offgrid serve` process over TLS, on
// SQLite and on PostgreSQL. Each Amplify client runs in its own Node process (amplify-client.mjs).
import { rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmplifyClient, amplifyModels, API_KEY, DATABASE_URL, freshPgSchema, gql, makeCertificate, ServeProcess, tempDir, userToken } from './harness';

const dir = tempDir('offgrid-amplify-');
const cert = makeCertificate(dir);
const modelsUrl = amplifyModels(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RECIPE_FIELDS = 'id title minutes tags _version _deleted _lastChangedAt';

describe.each([
  ['SQLite', () => ({ database: join(dir, `data-${Date.now()}.sqlite`) })],
  ['PostgreSQL', () => ({ database: DATABASE_URL, pgSchema: freshPgSchema() })],
] as const)('Amplify DataStore against offgrid serve on %s', (_name, backend) => {
  const db = backend();
  const server = new ServeProcess({ ...db, cert: cert.cert, key: cert.key });
  const clients: AmplifyClient[] = [];
  let alice: AmplifyClient;
  let bob: AmplifyClient;

  /** A client signed in as `user` (a user-pool style JWT) with the API key for public models: MULTI_AUTH. */
  async function signedIn(name: string, user: string, extra: Record<string, unknown> = {}): Promise<AmplifyClient> {
    const client = new AmplifyClient(name, cert.cert);
    clients.push(client);
    await client.call('configure', { schema: modelsUrl, endpoint: server.url, authMode: 'userPool', apiKey: API_KEY, token: userToken(user), multiAuth: true, ...extra });
    await client.call('start');
    return client;
  }
  const api = (query: string, variables: Record<string, unknown> = {}, headers?: Record<string, string>) => gql(server.url, cert.pem, query, variables, headers);
  /** The server's count of GraphQL requests (Prometheus /metrics). */
  const requests = async () => {
    const text = await new Promise<string>((res, rej) => {
      httpsGet(server.url.replace(/\/graphql$/, '/metrics'), { ca: cert.pem }, (r) => {
        let t = '';
        r.on('data', (c) => (t += c));
        r.on('end', () => res(t));
      }).on('error', rej);
    });
    return [...text.matchAll(/^offgrid_http_requests_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };
  const syncedBy = (c: AmplifyClient, from: number) => c.events.slice(from).some((e) => e.event === 'hub' && e.name === 'syncQueriesStarted');

  beforeAll(async () => {
    await server.start(0);
    [alice, bob] = await Promise.all([signedIn('alice', 'alice', { conflict: 'retry' }), signedIn('bob', 'bob', { conflict: 'retry' })]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.stop();
    if ('pgSchema' in db && db.pgSchema) {
      const pool = new Pool({ connectionString: DATABASE_URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS "${db.pgSchema}" CASCADE`);
      await pool.end();
    }
  });

  it('a record saved by one client reaches the server, and the other client live over the real-time protocol (mutation + subscription processors)', async () => {
    await bob.call('observeQuery', { model: 'Recipe', sub: 'recipes' });
    await bob.waitFor((e) => e.event === 'snapshot' && e.sub === 'recipes' && e.isSynced, 'a synced snapshot');
    const mark = bob.events.length;
    const saved = await alice.call('save', { model: 'Recipe', fields: { title: 'Soup', minutes: 20, tags: ['veg'] } });
    const seen = await bob.waitFor((e) => e.event === 'snapshot' && e.sub === 'recipes' && e.items.some((i: any) => i.id === saved.id), 'Soup in the observeQuery snapshot');
    expect(seen.items.find((i: any) => i.id === saved.id)).toMatchObject({ title: 'Soup', minutes: 20, tags: ['veg'], _version: 1, _deleted: false });
    // It came through the subscription, not a new sync query.
    expect(syncedBy(bob, mark)).toBe(false);
    const server = await api(`query { getRecipe(id: "${saved.id}") { ${RECIPE_FIELDS} } }`);
    expect(server.data.getRecipe).toMatchObject({ title: 'Soup', minutes: 20, tags: ['veg'], _version: 1 });
  });

  it('@hasMany/@belongsTo: a shelf and its book saved on one client are related on the other', async () => {
    const shelf = await alice.call('save', { model: 'Shelf', fields: { name: 'Kitchen' } });
    const book = await alice.call('save', { model: 'Book', fields: { title: 'Salt', shelf: { $model: 'Shelf', id: shelf.id } } });
    await bob.until('get', { model: 'Book', id: book.id }, (b: any) => b?.shelfID === shelf.id, 'the book on bob');
    expect(await bob.call('related', { model: 'Book', id: book.id, field: 'shelf' })).toMatchObject({ id: shelf.id, name: 'Kitchen' });
    expect((await bob.call('related', { model: 'Shelf', id: shelf.id, field: 'books' })).map((b: any) => b.title)).toEqual(['Salt']);
    const server = await api(`query { getShelf(id: "${shelf.id}") { name books { items { id title shelfID } } } }`);
    expect(server.data.getShelf).toEqual({ name: 'Kitchen', books: { items: [{ id: book.id, title: 'Salt', shelfID: shelf.id }] } });
  });

  it("a write made through the server's GraphQL reaches the client's observeQuery; an update too", async () => {
    await alice.call('observeQuery', { model: 'Recipe', sub: 'recipes' });
    const created = await api('mutation ($input: CreateRecipeInput!) { createRecipe(input: $input) { id _version } }', { input: { title: 'From the back office', minutes: 45 } });
    const id = created.data.createRecipe.id;
    await alice.waitFor((e) => e.event === 'snapshot' && e.sub === 'recipes' && e.items.some((i: any) => i.id === id && i.minutes === 45), 'the server-created recipe');
    await api('mutation ($input: UpdateRecipeInput!) { updateRecipe(input: $input) { id _version } }', { input: { id, minutes: 50, _version: 1 } });
    const seen = await alice.waitFor((e) => e.event === 'snapshot' && e.sub === 'recipes' && e.items.some((i: any) => i.id === id && i.minutes === 50), 'the server update');
    expect(seen.items.find((i: any) => i.id === id)).toMatchObject({ title: 'From the back office', minutes: 50, _version: 2 });
  });

  it('a delete arrives as a delete', async () => {
    const saved = await alice.call('save', { model: 'Recipe', fields: { title: 'Short-lived', minutes: 1 } });
    await bob.until('get', { model: 'Recipe', id: saved.id }, (r: any) => r?._version === 1, 'the recipe on bob');
    await bob.call('observe', { model: 'Recipe', sub: 'recipe-ops' });
    await alice.call('delete', { model: 'Recipe', id: saved.id });
    const op = await bob.waitFor((e) => e.event === 'observe' && e.sub === 'recipe-ops' && e.element.id === saved.id, 'the delete on bob');
    expect(op.opType).toBe('DELETE');
    expect(op.element._deleted).toBe(true);
    expect(await bob.call('get', { model: 'Recipe', id: saved.id })).toBeNull();
    const server = await api(`query { syncRecipes(limit: 1000) { items { id _deleted _version } } }`);
    expect(server.data.syncRecipes.items.find((i: any) => i.id === saved.id)).toEqual({ id: saved.id, _deleted: true, _version: 2 });
  });

  it('edits made offline while the server is down drain after it returns, none lost', async () => {
    const keep = await alice.call('save', { model: 'Recipe', fields: { title: 'Edit me offline', minutes: 5 } });
    const drop = await alice.call('save', { model: 'Recipe', fields: { title: 'Delete me offline', minutes: 6 } });
    await alice.outboxEmpty(alice.events.length - 1);
    await bob.until('get', { model: 'Recipe', id: drop.id }, (r: any) => r?._version === 1, 'both recipes on bob');
    await alice.call('offline');
    await server.stop();
    const made: any[] = [];
    for (let i = 0; i < 5; i++) made.push(await alice.call('save', { model: 'Recipe', fields: { title: `Offline ${i}`, minutes: 100 + i } }));
    await alice.call('update', { model: 'Recipe', id: keep.id, fields: { minutes: 55 } });
    await alice.call('delete', { model: 'Recipe', id: drop.id });
    await server.start(server.port);
    const mark = alice.events.length;
    await alice.call('online');
    await alice.outboxEmpty(mark);
    const items = (await api(`query { syncRecipes(limit: 1000) { items { ${RECIPE_FIELDS} } } }`)).data.syncRecipes.items as any[];
    for (const [i, m] of made.entries()) expect(items.find((r) => r.id === m.id)).toMatchObject({ title: `Offline ${i}`, minutes: 100 + i, _version: 1, _deleted: false });
    expect(items.find((r) => r.id === keep.id)).toMatchObject({ minutes: 55, _version: 2 });
    expect(items.find((r) => r.id === drop.id)).toMatchObject({ _deleted: true });
    // Bob's socket dropped with the server; Amplify reconnects and catches up.
    await bob.until('query', { model: 'Recipe' }, (rows: any[]) => made.every((m) => rows.some((r) => r.id === m.id)) && rows.some((r) => r.id === keep.id && r.minutes === 55) && !rows.some((r) => r.id === drop.id), 'the offline edits on bob', 60_000);
  });

  it('AUTOMERGE: a stale update is merged by the server and returned with no error, as AppSync does; no conflictHandler call', async () => {
    const base = await alice.call('save', { model: 'Recipe', fields: { title: 'Base', minutes: 10, tags: ['a'] } });
    await bob.until('get', { model: 'Recipe', id: base.id }, (r: any) => r?._version === 1, 'the recipe on bob');
    await bob.call('offline');
    await alice.call('update', { model: 'Recipe', id: base.id, fields: { minutes: 20 } });
    await alice.until('get', { model: 'Recipe', id: base.id }, (r: any) => r?._version === 2, 'version 2 on alice');
    await bob.call('update', { model: 'Recipe', id: base.id, fields: { title: 'Bob title', minutes: 30, tags: ['a', 'b'] } });
    const mark = bob.events.length;
    await bob.call('online');
    await bob.outboxEmpty(mark);
    const merged = { title: 'Bob title', minutes: 20, tags: ['a', 'b'], _version: 3 };
    expect((await api(`query { getRecipe(id: "${base.id}") { ${RECIPE_FIELDS} } }`)).data.getRecipe).toMatchObject(merged);
    await bob.until('get', { model: 'Recipe', id: base.id }, (r: any) => r?._version === 3, 'the merged record on bob');
    expect(await bob.call('get', { model: 'Recipe', id: base.id })).toMatchObject(merged);
    await alice.until('get', { model: 'Recipe', id: base.id }, (r: any) => r?._version === 3 && r.title === 'Bob title', 'the merged record on alice');
    expect(bob.events.filter((e) => e.event === 'conflictHandler' && e.remoteModel?.id === base.id)).toEqual([]);
  });

  it('AUTOMERGE: an update of a record deleted on the server is a conflict (as with AppSync); the conflictHandler sees the tombstone, DISCARDs, and the delete wins', async () => {
    const doomed = await alice.call('save', { model: 'Recipe', fields: { title: 'Doomed', minutes: 7 } });
    await bob.until('get', { model: 'Recipe', id: doomed.id }, (r: any) => r?._version === 1, 'the recipe on bob');
    await bob.call('offline');
    await alice.call('delete', { model: 'Recipe', id: doomed.id });
    await alice.until('get', { model: 'Recipe', id: doomed.id }, (r: any) => r === null, 'the delete on alice');
    await bob.call('update', { model: 'Recipe', id: doomed.id, fields: { minutes: 8 } });
    const before = await requests();
    const mark = bob.events.length;
    await bob.call('online');
    const conflict = await bob.waitFor((e) => bob.events.indexOf(e) >= mark && e.event === 'conflictHandler' && e.remoteModel?.id === doomed.id, 'the conflictHandler call');
    expect(conflict).toMatchObject({ model: 'Recipe', operation: 'UPDATE', attempts: 1 });
    expect(conflict.remoteModel).toMatchObject({ id: doomed.id, title: 'Doomed', minutes: 7, _version: 2, _deleted: true });
    await bob.outboxEmpty(mark);
    await bob.until('get', { model: 'Recipe', id: doomed.id }, (r: any) => r === null, 'the delete on bob');
    // No retry storm: a handful of requests, not thousands.
    expect((await requests()) - before).toBeLessThan(50);
    expect(bob.events.slice(mark).filter((e) => e.event === 'conflictHandler')).toHaveLength(1);
    expect((await api(`query { syncRecipes(limit: 1000) { items { id _deleted minutes } } }`)).data.syncRecipes.items.find((r: any) => r.id === doomed.id)).toEqual({ id: doomed.id, _deleted: true, minutes: 7 });
  });

  it("OPTIMISTIC_CONCURRENCY: a stale update reaches Amplify's conflictHandler with the server's record; the handler's retry is applied", async () => {
    const invoice = await alice.call('save', { model: 'Invoice', fields: { number: 'INV-1', amount: 100 } });
    await bob.until('get', { model: 'Invoice', id: invoice.id }, (r: any) => r?._version === 1, 'the invoice on bob');
    await bob.call('offline');
    await alice.call('update', { model: 'Invoice', id: invoice.id, fields: { amount: 200 } });
    await alice.until('get', { model: 'Invoice', id: invoice.id }, (r: any) => r?._version === 2, 'version 2 on alice');
    await bob.call('update', { model: 'Invoice', id: invoice.id, fields: { amount: 150 } });
    await bob.call('online');
    const conflict = await bob.waitFor((e) => e.event === 'conflictHandler' && e.remoteModel?.id === invoice.id, 'the conflictHandler call');
    expect(conflict).toMatchObject({ model: 'Invoice', operation: 'UPDATE', attempts: 1 });
    expect(conflict.remoteModel).toMatchObject({ id: invoice.id, number: 'INV-1', amount: 200, _version: 2 });
    expect(conflict.localModel).toMatchObject({ id: invoice.id, amount: 150 });
    // The handler kept bob's amount on top of the server's record; Amplify retried with _version 2.
    await bob.until('get', { model: 'Invoice', id: invoice.id }, (r: any) => r?._version === 3, 'the retried write on bob');
    expect((await api(`query { getInvoice(id: "${invoice.id}") { number amount _version } }`)).data.getInvoice).toEqual({ number: 'INV-1', amount: 150, _version: 3 });
    await alice.until('get', { model: 'Invoice', id: invoice.id }, (r: any) => r?.amount === 150, 'the resolution on alice');
  });

  it('owner auth: an owner never sees another owner\'s record, on sync pages or live; their own devices get them live', async () => {
    await alice.call('observe', { model: 'Diary', sub: 'diary' });
    await bob.call('observe', { model: 'Diary', sub: 'diary' });
    const mine = await alice.call('save', { model: 'Diary', fields: { text: 'alice only' } });
    const his = await bob.call('save', { model: 'Diary', fields: { text: 'bob only' } });
    await alice.outboxEmpty(alice.events.length - 1);
    // A second device of alice's: its base sync pages hold alice's diary and not bob's.
    const alice2 = await signedIn('alice-2', 'alice');
    expect((await alice2.call('query', { model: 'Diary' })).map((d: any) => d.text)).toEqual(['alice only']);
    await alice2.call('observe', { model: 'Diary', sub: 'diary' });
    // Live: alice's new diary reaches her other device, bob's never reaches alice.
    const mine2 = await alice.call('save', { model: 'Diary', fields: { text: 'alice again' } });
    const his2 = await bob.call('save', { model: 'Diary', fields: { text: 'bob again' } });
    await alice2.waitFor((e) => e.event === 'observe' && e.element.id === mine2.id, "alice's diary live on her second device");
    await new Promise((r) => setTimeout(r, 1000));
    for (const c of [alice, alice2]) {
      expect((await c.call('query', { model: 'Diary' })).map((d: any) => d.id).sort()).toEqual([mine.id, mine2.id].sort());
      expect(c.events.some((e) => e.event === 'observe' && [his.id, his2.id].includes(e.element.id))).toBe(false);
    }
    expect((await bob.call('query', { model: 'Diary' })).map((d: any) => d.id).sort()).toEqual([his.id, his2.id].sort());
    expect(bob.events.some((e) => e.event === 'observe' && [mine.id, mine2.id].includes(e.element.id))).toBe(false);
    // The owner is the caller's `sub`, set by the server (Amplify does not send it).
    expect((await alice.call('get', { model: 'Diary', id: mine.id })).owner).toBe('sub-alice');
  });

  it('a syncExpression limits what is synced, on the base sync and live; an API-key client gets Unauthorized for owner models in its errorHandler', async () => {
    await api('mutation ($input: CreateRecipeInput!) { createRecipe(input: $input) { id } }', { input: { id: 'quick-one', title: 'Quick', minutes: 3 } });
    await api('mutation ($input: CreateRecipeInput!) { createRecipe(input: $input) { id } }', { input: { id: 'slow-one', title: 'Slow', minutes: 300 } });
    const kiosk = new AmplifyClient('kiosk', cert.cert);
    clients.push(kiosk);
    await kiosk.call('configure', { schema: modelsUrl, endpoint: server.url, authMode: 'apiKey', apiKey: API_KEY, syncExpressions: [{ model: 'Recipe', where: { field: 'minutes', op: 'gt', value: 60 } }] });
    await kiosk.call('start');
    const synced = await kiosk.call('query', { model: 'Recipe' });
    expect(synced.map((r: any) => r.id)).toContain('slow-one');
    expect(synced.every((r: any) => r.minutes > 60)).toBe(true);
    await kiosk.call('observe', { model: 'Recipe', sub: 'r' });
    const quick = await alice.call('save', { model: 'Recipe', fields: { title: 'Live quick', minutes: 2 } });
    const slow = await alice.call('save', { model: 'Recipe', fields: { title: 'Live slow', minutes: 200 } });
    await kiosk.waitFor((e) => e.event === 'observe' && e.element.id === slow.id, 'the slow recipe, live');
    await new Promise((r) => setTimeout(r, 500));
    expect(await kiosk.call('get', { model: 'Recipe', id: quick.id })).toBeNull();
    // The API key may not read Diary (owner auth): the sync processor reports it to the errorHandler.
    const error = await kiosk.waitFor((e) => e.event === 'errorHandler' && e.error.process === 'sync' && e.error.model === 'Diary', 'Unauthorized for Diary');
    expect(error.error.errorType).toBe('Unauthorized');
    expect(await kiosk.call('query', { model: 'Diary' })).toEqual([]);
  });
});
