import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DISCARD } from '@offgrid/core';
import { DATABASES, eventually, settled, startServer, trackedClients, type RunningServer } from './harness';

describe.each(DATABASES)('client sync on %s', (kind) => {
  let server: RunningServer;
  const clients = trackedClients(() => server.graphqlUrl);
  const client = clients.create;
  beforeAll(async () => {
    server = await startServer(kind);
  });
  afterEach(clients.closeAll);
  afterAll(async () => {
    await server.close();
  });

  it('a save on client A reaches the server and appears live in client B', async () => {
    const a = client();
    const b = client();
    await Promise.all([a.store.start(), b.store.start()]);
    await settled(b);
    const seen: string[][] = [];
    const sub = b.store.observeQuery(b.store.models.Todo).subscribe((s) => seen.push(s.items.map((t) => t.title)));
    const { Todo } = a.store.models;
    await a.store.save(new Todo({ id: 'live-1', title: 'from A' }));
    await eventually(() => seen.some((titles) => titles.includes('from A')), 10_000, 'B to see the todo');
    const onServer = await server.gql('query { getTodo(id: "live-1") { title _version } }');
    expect(onServer.data.getTodo).toEqual({ title: 'from A', _version: 1 });
    sub.unsubscribe();
  });

  it('a new client gets everything by full sync, then only changes by delta sync', async () => {
    const a = client();
    const { Todo } = a.store.models;
    await a.store.start();
    for (let i = 0; i < 25; i++) await a.store.save(new Todo({ id: `bulk-${i}`, title: `t${i}` }));
    await settled(a);
    const b = client({ sync: { pageSize: 7 } });
    await b.store.start();
    await settled(b);
    expect((await b.store.query(b.store.models.Todo, (p) => p.id.beginsWith('bulk-'))).length).toBe(25);
    const full = b.events.find((e) => e.event === 'modelSynced' && e.data.model === 'Todo')!;
    expect(full.data.isFullSync).toBe(true);
    await b.store.stop();
    await server.gql('mutation { updateTodo(input: { id: "bulk-3", title: "changed", _version: 1 }) { id } }');
    b.events.length = 0;
    await b.store.start();
    await eventually(() => b.events.some((e) => e.event === 'modelSynced' && e.data.model === 'Todo'));
    const delta = b.events.find((e) => e.event === 'modelSynced' && e.data.model === 'Todo')!;
    expect(delta.data).toMatchObject({ isDeltaSync: true, counts: { new: 0, updated: 1, deleted: 0 } });
    expect((await b.store.query(b.store.models.Todo, 'bulk-3'))?.title).toBe('changed');
  });

  it('offline edits are kept and drain when the network returns', async () => {
    const a = client();
    const { Todo } = a.store.models;
    await a.store.start();
    await settled(a);
    a.online.setOnline(false);
    await eventually(() => a.store['engine']?.currentStatus.state === 'offline');
    const t = await a.store.save(new Todo({ id: 'off-1', title: 'offline' }));
    await a.store.save(Todo.copyOf(t, (d) => { d.done = true; }));
    await a.store.save(new Todo({ id: 'off-2', title: 'second' }));
    expect((await a.store.pendingMutations()).map((e) => e.operation)).toEqual(['create', 'create']);
    expect((await server.gql('query { getTodo(id: "off-1") { id } }')).data.getTodo).toBeNull();
    a.online.setOnline(true);
    await settled(a);
    const r = await server.gql('query { getTodo(id: "off-1") { title done _version } }');
    expect(r.data.getTodo).toEqual({ title: 'offline', done: true, _version: 1 });
  });

  it('update A then update B before A is acknowledged: the server ends with B (versions chain)', async () => {
    const a = client();
    const { Todo } = a.store.models;
    await a.store.start();
    const t = await a.store.save(new Todo({ id: 'chain', title: 'v0' }));
    await settled(a);
    const t1 = await a.store.save(Todo.copyOf(t, (d) => { d.title = 'A'; }));
    await a.store.save(Todo.copyOf(t1, (d) => { d.title = 'B'; }));
    await settled(a);
    const r = await server.gql('query { getTodo(id: "chain") { title _version } }');
    expect(r.data.getTodo.title).toBe('B');
    expect((await a.store.query(Todo, 'chain'))?._version).toBe(r.data.getTodo._version);
  });

  it('a conflict reaches the conflict handler with the full local record, the patch and the remote', async () => {
    const calls: any[] = [];
    const a = client({ sync: { conflictHandler: (input) => { calls.push(input); return { ...input.remote, ...input.patch }; } } });
    const { Invoice } = a.store.models;
    await a.store.start();
    const inv = await a.store.save(new Invoice({ id: 'inv', amount: 1, memo: 'keep me' }));
    await settled(a);
    a.online.setOnline(false);
    await server.gql('mutation { updateInvoice(input: { id: "inv", amount: 100, _version: 1 }) { id } }');
    await a.store.save(Invoice.copyOf((await a.store.query(Invoice, 'inv'))!, (d) => { d.memo = 'local memo'; }));
    a.online.setOnline(true);
    await settled(a);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ operation: 'update', attempts: 1, patch: { memo: 'local memo' }, remote: { amount: 100, _version: 2 }, local: { amount: 1, memo: 'local memo' } });
    const r = await server.gql('query { getInvoice(id: "inv") { amount memo _version } }');
    expect(r.data.getInvoice).toEqual({ amount: 100, memo: 'local memo', _version: 3 });
    void inv;
  });

  it('DISCARD keeps the server record locally', async () => {
    const a = client({ sync: { conflictHandler: () => DISCARD } });
    const { Invoice } = a.store.models;
    await a.store.start();
    await a.store.save(new Invoice({ id: 'inv2', amount: 1 }));
    await settled(a);
    a.online.setOnline(false);
    await server.gql('mutation { updateInvoice(input: { id: "inv2", amount: 50, _version: 1 }) { id } }');
    await a.store.save(Invoice.copyOf((await a.store.query(Invoice, 'inv2'))!, (d) => { d.amount = 2; }));
    a.online.setOnline(true);
    await settled(a);
    expect((await a.store.query(Invoice, 'inv2'))).toMatchObject({ amount: 50, _version: 2 });
  });

  it('a rejected change goes to the dead-letter queue, emits a failure and does not block the rest', async () => {
    const a = client();
    const { Todo } = a.store.models;
    await a.store.start();
    await settled(a);
    a.online.setOnline(false);
    // The server already has this id: the create is refused, a retry cannot fix it.
    await server.gql('mutation { createTodo(input: { id: "dup", title: "server" }) { id } }');
    await a.store.save(new Todo({ id: 'dup', title: 'client' }));
    await a.store.save(new Todo({ id: 'after-dup', title: 'fine' }));
    a.online.setOnline(true);
    await eventually(async () => (await a.store.deadLetters()).length === 1, 10_000, 'a dead letter');
    await eventually(async () => (await server.gql('query { getTodo(id: "after-dup") { id } }')).data.getTodo !== null);
    expect(a.events.some((e) => e.event === 'outboxMutationFailed')).toBe(true);
    const dup = (await a.store.query(Todo, 'dup'))!;
    expect(await a.store.recordStatus(dup)).toMatchObject({ status: 'rejected' });
    await a.store.discardDeadLetter((await a.store.deadLetters())[0]!);
    expect(await a.store.deadLetters()).toEqual([]);
  });

  it('a full sync removes local records the server no longer has (no ghosts)', async () => {
    const a = client();
    const { Todo } = a.store.models;
    await a.store.start();
    await a.store.save(new Todo({ id: 'ghost', title: 'will vanish' }));
    await settled(a);
    await a.store.stop();
    // The server forgets it entirely (tombstone purged) and the client's cursor is too old.
    await server.gql('mutation { deleteTodo(input: { id: "ghost", _version: 1 }) { id } }');
    await server.server['contextFor']({ kind: 'admin' }).store.purge(Date.now() + 1000);
    await a.store.start();
    await eventually(async () => (await a.store.query(Todo, 'ghost')) === undefined, 10_000, 'the ghost to go');
  });

  it('sync expressions limit what is synced', async () => {
    await server.gql('mutation { createTodo(input: { id: "sel-hi", title: "hi", priority: 9 }) { id } }');
    await server.gql('mutation { createTodo(input: { id: "sel-lo", title: "lo", priority: 1 }) { id } }');
    const a = client({ sync: { syncExpressions: { Todo: (p: any) => p.priority.gt(5) } } });
    await a.store.start();
    await settled(a);
    const ids = (await a.store.query(a.store.models.Todo)).map((t) => t.id);
    expect(ids).toContain('sel-hi');
    expect(ids).not.toContain('sel-lo');
  });
});
