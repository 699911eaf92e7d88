import type { ModelSyncProgress, SyncStatus } from '@offgrid/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, eventually, settled, startServer, trackedClients, type RunningServer, type TestClient } from './harness';

type Progress = { model: string } & ModelSyncProgress;

const TODOS = 230;
const LISTS = 3;

/** The `syncProgress` events of one model, split into one list per sync (a sync starts with `syncQueriesStarted`). */
function runsOf(client: TestClient, model: string): Progress[][] {
  const runs: Progress[][] = [];
  for (const e of client.events) {
    if (e.event === 'syncQueriesStarted') runs.push([]);
    else if (e.event === 'syncProgress' && e.data.model === model) runs.at(-1)!.push(e.data);
  }
  return runs.filter((r) => r.length > 0);
}

/** Within one sync: received and applied never go back, applied never passes received, the total never changes. */
function expectMonotonic(run: Progress[]): void {
  for (let i = 1; i < run.length; i++) {
    expect(run[i]!.received).toBeGreaterThanOrEqual(run[i - 1]!.received);
    expect(run[i]!.applied).toBeGreaterThanOrEqual(run[i - 1]!.applied);
    if (run[i - 1]!.total !== undefined) expect(run[i]!.total).toBe(run[i - 1]!.total);
  }
  for (const p of run) expect(p.applied).toBeLessThanOrEqual(p.received);
  // Only the last report may say done (a sync cut short has none).
  expect(run.slice(0, -1).filter((p) => p.done)).toEqual([]);
}

describe.each(DATABASES)('initial sync progress on %s', (kind) => {
  let server: RunningServer;
  const clients = trackedClients(() => server.graphqlUrl);
  const client = clients.create;

  beforeAll(async () => {
    server = await startServer(kind);
    const writer = client();
    await writer.store.start();
    const { Todo, TodoList } = writer.store.models;
    await writer.store.saveMany(Array.from({ length: LISTS }, (_, i) => new TodoList({ id: `list-${i}`, name: `list ${i}` })));
    await writer.store.saveMany(
      Array.from({ length: TODOS }, (_, i) => new Todo({ id: `todo-${String(i).padStart(4, '0')}`, title: `t${i}`, priority: i % 10, listID: `list-${i % LISTS}` })),
    );
    await settled(writer, 30_000);
    await clients.closeAll();
  });
  afterEach(clients.closeAll);
  afterAll(async () => {
    await server.close();
  });

  it('a first sync reports received and applied per model, monotonically, up to the total the server told', async () => {
    const c = client({ sync: { pageSize: 40 } });
    const statuses: SyncStatus[] = [];
    c.store.syncStatus$.subscribe((s) => statuses.push(s));
    await c.store.start();
    await settled(c, 30_000);

    const todo = runsOf(c, 'Todo');
    expectMonotonic(todo[0]!);
    expect(todo[0]!.at(-1)).toEqual({ model: 'Todo', type: 'full', received: TODOS, applied: TODOS, total: TODOS, done: true });
    // Page by page: one report when a page arrives, one when it is written.
    expect(todo[0]!.filter((p) => p.total !== undefined && p.applied < p.received).length).toBeGreaterThanOrEqual(Math.floor(TODOS / 40));
    expect(todo[0]!.some((p) => p.applied > 0 && p.applied < TODOS)).toBe(true);

    const lists = runsOf(c, 'TodoList');
    expectMonotonic(lists[0]!);
    expect(lists[0]!.at(-1)).toEqual({ model: 'TodoList', type: 'full', received: LISTS, applied: LISTS, total: LISTS, done: true });

    // The same figures in the sync status, which bindings read; every model listed from the start. (The
    // socket coming up during the first sync asks for a delta sync after it: look at the first one.)
    const withProgress = statuses.filter((s) => s.progress);
    expect(Object.keys(withProgress[0]!.progress!).sort()).toEqual(['Invoice', 'Todo', 'TodoList']);
    expect(withProgress[0]!.progress!.Todo).toEqual({ received: 0, applied: 0, done: false });
    const end = withProgress.findIndex((s) => Object.values(s.progress!).every((p) => p.done));
    const applied = withProgress.slice(0, end + 1).map((s) => s.progress!.Todo!.applied);
    expect(applied).toEqual([...applied].sort((a, b) => a - b));
    expect(withProgress[end]!.progress).toEqual({
      Invoice: { type: 'full', received: 0, applied: 0, total: 0, done: true },
      TodoList: { type: 'full', received: LISTS, applied: LISTS, total: LISTS, done: true },
      Todo: { type: 'full', received: TODOS, applied: TODOS, total: TODOS, done: true },
    });
  });

  it('a resumed sync reports a delta of exactly what changed, and a sync cut short starts its progress over', async () => {
    const c = client({ sync: { pageSize: 40 } });
    // Cut the first sync short once Todo has applied a page: the next sync starts over from 0.
    let cut = false;
    c.store.events$.subscribe((e) => {
      if (!cut && e.event === 'syncProgress' && e.data.model === 'Todo' && e.data.applied >= 40) {
        cut = true;
        c.online.setOnline(false);
        setTimeout(() => c.online.setOnline(true), 50);
      }
    });
    await c.store.start();
    await settled(c, 30_000);
    const runs = runsOf(c, 'Todo');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[0]!.some((p) => p.done)).toBe(false);
    for (const run of runs) expectMonotonic(run);
    // The cursor is stored with the last page only, so the sync after the cut is a full one again.
    expect(runs.at(-1)!.at(-1)).toEqual({ model: 'Todo', type: 'full', received: TODOS, applied: TODOS, total: TODOS, done: true });

    await c.store.stop();
    for (const id of ['todo-0001', 'todo-0002', 'todo-0003']) {
      const r = await server.gql(`mutation { updateTodo(input: { id: "${id}", title: "changed", _version: 1 }) { id } }`);
      expect(r.errors).toBeUndefined();
    }
    expect((await server.gql('mutation { deleteTodo(input: { id: "todo-0004", _version: 1 }) { id } }')).errors).toBeUndefined();
    c.events.length = 0;
    await c.store.start();
    await eventually(() => c.events.some((e) => e.event === 'syncQueriesReady'), 20_000, 'the delta sync');
    const delta = runsOf(c, 'Todo');
    expectMonotonic(delta[0]!);
    expect(delta[0]![0]).toMatchObject({ type: 'delta', received: 0, applied: 0, done: false });
    expect(delta[0]!.at(-1)).toEqual({ model: 'Todo', type: 'delta', received: 4, applied: 4, total: 4, done: true });
    expect(runsOf(c, 'TodoList')[0]!.at(-1)).toEqual({ model: 'TodoList', type: 'delta', received: 0, applied: 0, total: 0, done: true });
  });

  it('with a sync expression the server cannot count for the client: progress has no total', async () => {
    const c = client({ sync: { pageSize: 40, syncExpressions: { Todo: (p: any) => p.priority.gt(6) } } });
    await c.store.start();
    await settled(c, 30_000);
    const run = runsOf(c, 'Todo')[0]!;
    expectMonotonic(run);
    const expected = Array.from({ length: TODOS }, (_, i) => i % 10).filter((p) => p > 6).length;
    expect(run.at(-1)).toEqual({ model: 'Todo', type: 'full', received: expected, applied: expected, done: true });
    expect(run.every((p) => p.total === undefined)).toBe(true);
  });
});
