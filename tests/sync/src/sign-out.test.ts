import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataStore, IndexedDBAdapter, MemoryAdapter, OnlineManager, type DataStore, type StorageAdapter } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { createSqliteAdapter } from '@offgrid/sqlite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AUTH_SDL, SECRET, token } from './auth-fixtures';
import { API_KEY, eventually, startServer, type RunningServer } from './harness';

/**
 * Sign-out (LESSONS.md scenario 20, amplify-js #5312): user A writes, signs out, user B signs in on the same
 * device. B's queries never return A's records, and A's unsent changes are never pushed as B. By default
 * (`sync.userChange: 'clear'`) the store deletes local data before anything is read, written, synced or
 * sent under another identity.
 */
const schema = parseSchema(AUTH_SDL);
const dir = mkdtempSync(join(tmpdir(), 'offgrid-sign-out-'));
let seq = 0;
const STORAGES: Array<[string, () => StorageAdapter, boolean]> = [
  ['memory', () => new MemoryAdapter(), false],
  ['SQLite', () => createSqliteAdapter(join(dir, `device-${seq}.sqlite`)), true],
  ['IndexedDB', () => new IndexedDBAdapter({ name: `device-${seq}` }), true],
];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(STORAGES)('sign-out on %s storage: the next user never sees the previous one', (_name, makeStorage, persistent) => {
  let server: RunningServer;
  let alice: string;
  let bob: string;
  const stores: DataStore[] = [];
  const as = async (jwt: string, query: string) => {
    const res = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: jwt }, body: JSON.stringify({ query }) });
    return (await res.json()) as { data?: any; errors?: unknown[] };
  };
  /** A store on `storage` signed in as whoever `current()` says (multi-auth, as a real app). */
  const open = (storage: StorageAdapter, current: () => string | undefined, online = new OnlineManager(undefined)) => {
    const store = createDataStore({
      schema,
      storage,
      tabs: false,
      sync: { url: server.graphqlUrl, auth: { apiKey: API_KEY, token: current }, webSocketImpl: WebSocket, onlineManager: online, retry: { baseMs: 20, capMs: 200 } },
    });
    stores.push(store);
    return store;
  };
  const ids = async (store: DataStore, model: string) => ((await store.query(model as never)) as Array<{ id: string }>).map((r) => r.id).sort();

  beforeAll(async () => {
    server = await startServer('sqlite', { schema, auth: { apiKeys: [API_KEY], jwt: { secret: SECRET } }, conflicts: {} });
    [alice, bob] = await Promise.all([token('alice'), token('bob')]);
    expect((await as(alice, 'mutation { createNote(input: { id: "so-alice", text: "alice" }) { id } }')).errors).toBeUndefined();
    expect((await as(bob, 'mutation { createNote(input: { id: "so-bob", text: "bob" }) { id } }')).errors).toBeUndefined();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    seq++;
  });
  afterAll(async () => {
    await server.close();
  });

  it('A signs out and B signs in while the app runs: B sees nothing of A, and A’s unsent note is not pushed as B', async () => {
    let current: string | undefined = alice;
    const online = new OnlineManager(undefined);
    const store = open(makeStorage(), () => current, online);
    const { Note } = store.models as Record<string, any>;
    const events: Array<{ event: string; data: any }> = [];
    store.events$.subscribe((e) => events.push(e as never));
    await store.start();
    await eventually(async () => (await ids(store, 'Note')).includes('so-alice'), 10_000, "alice's synced note");
    // Offline, A writes a note that never reaches the server.
    online.setOnline(false);
    await store.save(new Note({ id: 'so-alice-unsent', text: 'written offline by alice' }));
    expect(await ids(store, 'Note')).toEqual(['so-alice', 'so-alice-unsent']);

    // A signs out, B signs in; the network comes back.
    current = undefined;
    current = bob;
    expect(await ids(store, 'Note')).toEqual([]);
    online.setOnline(true);
    await eventually(async () => (await ids(store, 'Note')).includes('so-bob'), 10_000, "bob's note");
    await eventually(() => store.isSynced('Note'), 10_000, 'Note synced for bob');
    expect(await ids(store, 'Note')).toEqual(['so-bob']);
    expect(await store.pendingMutations()).toEqual([]);
    // The unsent note went nowhere: not to the server as bob, not as alice.
    expect((await as(bob, '{ getNote(id: "so-alice-unsent") { id } }')).data.getNote).toBeNull();
    expect((await as(alice, '{ getNote(id: "so-alice-unsent") { id } }')).data.getNote).toBeNull();
    // What was discarded is reported, so an app can keep it for A.
    const cleared = events.find((e) => e.event === 'cleared');
    expect(cleared?.data.reason).toBe('userChanged');
    expect(cleared?.data.discarded.map((e: any) => e.record.id)).toEqual(['so-alice-unsent']);
    // B's own writes go out as B.
    await store.save(new Note({ id: 'so-bob-new', text: 'bob writes' }));
    await eventually(async () => (await store.pendingMutations()).length === 0, 10_000, "bob's push");
    expect((await as(bob, '{ getNote(id: "so-bob-new") { id owner } }')).data.getNote).toEqual({ id: 'so-bob-new', owner: 'bob' });
  });

  it('signing out alone hides A’s records from whoever uses the device next, signed in or not', async () => {
    let current: string | undefined = alice;
    const store = open(makeStorage(), () => current);
    await store.start();
    await eventually(async () => (await ids(store, 'Note')).includes('so-alice'), 10_000, "alice's synced note");
    current = undefined;
    expect(await ids(store, 'Note')).toEqual([]);
  });

  it.runIf(persistent)('B opens the app on the device A used and closed: the first query returns nothing of A, even offline', async () => {
    const first = open(makeStorage(), () => alice);
    await first.start();
    await eventually(async () => (await ids(first, 'Note')).includes('so-alice'), 10_000, "alice's synced note");
    await first.close();
    stores.splice(stores.indexOf(first), 1);

    // The same file / database name in a new session: B is signed in, and the device is offline.
    const offline = new OnlineManager(undefined);
    offline.setOnline(false);
    const second = open(makeStorage(), () => bob, offline);
    expect(await ids(second, 'Note')).toEqual([]);
  });
});
