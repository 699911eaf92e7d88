import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from './fault-proxy';
import { API_KEY, createClient, DATABASES, eventually, SDL, serverRecords, settled, sleep, startServer, type RunningServer, type TestClient } from './harness';

/**
 * The network and the server misbehave: cut connections mid-page and mid-push, duplicated and reordered
 * requests, an unreachable server, and a server killed and restarted in the middle of a sync.
 */
describe.each(DATABASES)('faults between client and server on %s', (kind) => {
  let server: RunningServer;
  const clients: TestClient[] = [];
  const proxies: FaultProxy[] = [];
  const client = (url: string, options?: Parameters<typeof createClient>[1]) => {
    const c = createClient(url, options);
    clients.push(c);
    return c;
  };
  const proxy = async () => {
    const p = await FaultProxy.start(server.url);
    proxies.push(p);
    return p;
  };
  const seed = async (prefix: string, n: number) => {
    const w = client(server.graphqlUrl, { sync: { pushBatchSize: 500 } });
    await w.store.start();
    await w.store.saveMany(Array.from({ length: n }, (_, i) => new w.store.models.Todo({ id: `${prefix}-${String(i).padStart(5, '0')}`, title: `t${i}`, priority: i })));
    await settled(w, 20_000);
  };
  const localIds = async (c: TestClient, prefix: string) => (await c.store.query(c.store.models.Todo, (t: any) => t.id.beginsWith(prefix))).length;

  beforeAll(async () => {
    server = await startServer(kind);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.store.close().catch(() => undefined)));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await server.close();
  });

  it('a half-open subscription socket is noticed by keep-alive, reconnected, and what it missed is synced', async () => {
    const p = await proxy();
    const a = client(p.graphqlUrl, { sync: { keepAliveMs: 300 } });
    await a.store.start();
    await settled(a);
    await eventually(() => p.webSocketCount() > 0, 5000, 'the subscription socket');
    p.blackholeWebSockets();
    await server.gql('mutation { createTodo(input: { id: "half-open", title: "sent while the socket was dead" }) { id } }');
    await eventually(async () => (await a.store.query(a.store.models.Todo, 'half-open')) !== undefined, 10_000, 'the missed change');
  });

  it('a connection cut in the middle of a sync page is retried; the cursor never skips the page', async () => {
    await seed('cut-page', 120);
    const p = await proxy();
    const cut = p.cutResponse('syncTodos', 700);
    const a = client(p.graphqlUrl, { sync: { pageSize: 50 } });
    await a.store.start();
    await cut;
    await settled(a, 20_000);
    expect(await localIds(a, 'cut-page')).toBe(120);
    expect(a.events.some((e) => e.event === 'syncError')).toBe(true);
  });

  it('a connection cut in the middle of a push: the batch is resent with the same mutation ids and applied once', async () => {
    const p = await proxy();
    const a = client(p.graphqlUrl);
    const { Todo } = a.store.models;
    await a.store.start();
    await settled(a);
    a.online.setOnline(false);
    for (let i = 0; i < 20; i++) await a.store.save(new Todo({ id: `cut-push-${i}`, title: `t${i}` }));
    const cut = p.cutResponse('pushMutations', 60);
    a.online.setOnline(true);
    await cut;
    await settled(a);
    const pushes = p.requests.filter((r) => r.body.includes('cut-push-'));
    expect(pushes.length).toBe(2);
    // The same ids, twice; the server applied each once (version 1, no dead letters).
    expect(pushes[1]!.body).toBe(pushes[0]!.body);
    const all = await serverRecords(server);
    for (let i = 0; i < 20; i++) expect(all.get(`cut-push-${i}`)).toMatchObject({ title: `t${i}`, _version: 1 });
    expect(await a.store.deadLetters()).toEqual([]);
  });

  it('a duplicated push (replayed by the network) is answered with the first answer and changes nothing', async () => {
    const p = await proxy();
    const a = client(p.graphqlUrl);
    const { Todo } = a.store.models;
    await a.store.start();
    const t = await a.store.save(new Todo({ id: 'dup-1', title: 'v1' }));
    await settled(a);
    await a.store.save(Todo.copyOf(t, (d) => { d.title = 'v2'; }));
    await settled(a);
    const push = p.requests.filter((r) => r.body.includes('pushMutations') && r.body.includes('v2')).at(-1)!;
    await a.store.save(Todo.copyOf((await a.store.query(Todo, 'dup-1'))!, (d) => { d.title = 'v3'; }));
    await settled(a);
    const replayed = JSON.parse(await p.replay(push));
    expect(JSON.parse(replayed.data.pushMutations[0].record)).toMatchObject({ title: 'v2', _version: 2 });
    expect((await serverRecords(server)).get('dup-1')).toMatchObject({ title: 'v3', _version: 3 });
  });

  it('requests reordered across clients (one held while another passes) still converge', async () => {
    const p1 = await proxy();
    const p2 = await proxy();
    const a = client(p1.graphqlUrl);
    const b = client(p2.graphqlUrl);
    await Promise.all([a.store.start(), b.store.start()]);
    await a.store.save(new a.store.models.Todo({ id: 'reorder', title: 't0', note: 'n0', priority: 0 }));
    await settled(a);
    await eventually(async () => (await b.store.query(b.store.models.Todo, 'reorder')) !== undefined);
    // A writes first but its push is held; B writes later and reaches the server first.
    const held = p1.hold('pushMutations');
    await a.store.save(a.store.models.Todo.copyOf((await a.store.query(a.store.models.Todo, 'reorder'))!, (d) => { d.title = 'A'; d.priority = 1; }));
    await held.held;
    await b.store.save(b.store.models.Todo.copyOf((await b.store.query(b.store.models.Todo, 'reorder'))!, (d) => { d.title = 'B'; d.note = 'B'; }));
    await settled(b);
    held.release();
    await settled(a);
    const onServer = (await serverRecords(server)).get('reorder')!;
    // AUTOMERGE: A's late title loses to B's (server wins), A's priority and B's note both stay.
    expect(onServer).toMatchObject({ title: 'B', note: 'B', priority: 1, _version: 3 });
    for (const c of [a, b]) {
      await eventually(async () => expect(await c.store.query(c.store.models.Todo, 'reorder')).toMatchObject({ title: 'B', note: 'B', priority: 1, _version: 3 }), 5000, 'clients to converge');
    }
  });

  it('an unreachable server takes the client offline with backoff; it resumes as soon as the server is back', async () => {
    const p = await proxy();
    p.setDelay(5);
    const a = client(p.graphqlUrl);
    await a.store.start();
    await settled(a);
    p.setUnreachable(true);
    await a.store.save(new a.store.models.Todo({ id: 'unreachable', title: 'queued' }));
    await eventually(() => (a.store as any).engine.currentStatus.state === 'offline', 5000, 'offline');
    await sleep(300);
    const errors = a.events.filter((e) => e.event === 'syncError').length;
    expect(errors).toBeGreaterThan(0);
    p.setUnreachable(false);
    await settled(a);
    expect((await serverRecords(server)).get('unreachable')).toMatchObject({ title: 'queued' });
  });

  it('the server restarts in the middle of a sync and of a push: the client resumes and nothing is lost', async () => {
    await seed('restart', 600);
    const p = await proxy();
    p.setDelay(3);
    const a = client(p.graphqlUrl, { sync: { pageSize: 25, pushBatchSize: 10 } });
    await a.store.start();
    await eventually(() => p.requests.filter((r) => r.body.includes('syncTodos')).length >= 5, 10_000, 'a few pages');
    await server.restart();
    await settled(a, 30_000);
    expect(await localIds(a, 'restart')).toBe(600);
    // Mid-push.
    a.online.setOnline(false);
    for (let i = 0; i < 100; i++) await a.store.save(new a.store.models.Todo({ id: `restart-push-${i}`, title: `p${i}` }));
    a.online.setOnline(true);
    await eventually(() => p.requests.filter((r) => r.body.includes('restart-push-')).length >= 3, 10_000, 'a few pushes');
    await server.restart();
    await settled(a, 30_000);
    const all = await serverRecords(server);
    for (let i = 0; i < 100; i++) expect(all.get(`restart-push-${i}`)).toMatchObject({ title: `p${i}`, _version: 1 });
  });
});

/** A free port on loopback (for a server process that must come back on the same address). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const BIN = resolve(__dirname, '../../../packages/cli/bin/offgrid.js');

/** `offgrid serve` as a real process on a SQLite file; resolves once it listens. */
function serve(schemaFile: string, database: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--schema', schemaFile, '--database', database, '--port', String(port), '--api-key', API_KEY], {
    env: { ...process.env, OFFGRID_LOG_LEVEL: 'warn' },
  });
  let out = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`offgrid serve did not start:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/offgrid serve: http/.test(out)) {
        clearTimeout(timer);
        resolvePromise(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`offgrid serve exited with ${code}:\n${out}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGKILL');
  });
}

describe('a server process killed (SIGKILL) mid-sync and mid-push and started again on the same SQLite file', () => {
  it('the client resumes and converges with nothing lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offgrid-kill-'));
    const schemaFile = join(dir, 'schema.graphql');
    writeFileSync(schemaFile, SDL);
    const database = join(dir, 'server.sqlite');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let child = await serve(schemaFile, database, port);
    const p = await FaultProxy.start(url);
    const writer = createClient(`${url}/graphql`, { sync: { pushBatchSize: 500 } });
    const a = createClient(p.graphqlUrl, { sync: { pageSize: 20, pushBatchSize: 10 } });
    try {
      await writer.store.start();
      await writer.store.saveMany(Array.from({ length: 400 }, (_, i) => new writer.store.models.Todo({ id: `kill-${String(i).padStart(4, '0')}`, title: `t${i}` })));
      await settled(writer, 20_000);
      await writer.store.close();
      p.setDelay(3);
      await a.store.start();
      await eventually(() => p.requests.filter((r) => r.body.includes('syncTodos')).length >= 4, 10_000, 'a few pages');
      await kill(child);
      await sleep(100);
      child = await serve(schemaFile, database, port);
      await settled(a, 30_000);
      expect((await a.store.query(a.store.models.Todo)).length).toBe(400);
      // Kill it again while a burst of offline changes is being pushed.
      a.online.setOnline(false);
      for (let i = 0; i < 80; i++) await a.store.save(new a.store.models.Todo({ id: `kill-push-${i}`, title: `p${i}` }));
      a.online.setOnline(true);
      await eventually(() => p.requests.filter((r) => r.body.includes('kill-push-')).length >= 2, 10_000, 'a few pushes');
      await kill(child);
      child = await serve(schemaFile, database, port);
      await settled(a, 30_000);
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ query: 'query { syncTodos(limit: 1000) { items { id title _version } } }' }),
      });
      const items = ((await res.json()) as any).data.syncTodos.items as any[];
      expect(items.filter((t) => t.id.startsWith('kill-push-')).map((t) => t._version)).toEqual(Array(80).fill(1));
      expect(items.length).toBe(480);
    } finally {
      await a.store.close().catch(() => undefined);
      await p.close();
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
