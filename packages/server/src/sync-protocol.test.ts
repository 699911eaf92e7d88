import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, startTestServer, type TestServer } from './test-support/test-server';
import { signToken } from './test-support/tokens';

const FIELDS = 'id title done priority tags note _version _deleted _lastChangedAt';
const CREATE = `mutation operation($input: CreateTodoInput!, $condition: ModelTodoConditionInput) { createTodo(input: $input, condition: $condition) { ${FIELDS} } }`;
const UPDATE = `mutation operation($input: UpdateTodoInput!, $condition: ModelTodoConditionInput) { updateTodo(input: $input, condition: $condition) { ${FIELDS} } }`;
const DELETE = `mutation operation($input: DeleteTodoInput!, $condition: ModelTodoConditionInput) { deleteTodo(input: $input, condition: $condition) { ${FIELDS} } }`;
const SYNC = `query operation($limit: Int, $nextToken: String, $lastSync: AWSTimestamp, $filter: ModelTodoFilterInput) {
  syncTodos(limit: $limit, nextToken: $nextToken, lastSync: $lastSync, filter: $filter) { items { ${FIELDS} } nextToken startedAt isFullSync } }`;

async function syncAll(t: TestServer, lastSync: number | null, extra: Record<string, unknown> = {}) {
  const items: any[] = [];
  let nextToken: string | null = null;
  let startedAt = 0;
  let isFullSync = false;
  let pages = 0;
  do {
    const { body } = await t.gql(SYNC, { limit: 3, nextToken, lastSync, ...extra });
    expect(body.errors).toBeUndefined();
    items.push(...body.data.syncTodos.items);
    nextToken = body.data.syncTodos.nextToken;
    startedAt = body.data.syncTodos.startedAt;
    isFullSync = body.data.syncTodos.isFullSync;
    pages++;
  } while (nextToken);
  return { items, startedAt, isFullSync, pages };
}

describe.each(DATABASES)('sync protocol on %s', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a record with version 1 and server timestamps, and reads it back', async () => {
    const { body } = await t.gql(CREATE, { input: { id: 'c1', title: 'first', done: false } });
    expect(body.errors).toBeUndefined();
    expect(body.data.createTodo).toMatchObject({ id: 'c1', title: 'first', _version: 1, _deleted: false });
    expect(typeof body.data.createTodo._lastChangedAt).toBe('number');
    const get = await t.gql('query { getTodo(id: "c1") { id title createdAt updatedAt _version } }');
    expect(get.body.data.getTodo).toMatchObject({ id: 'c1', title: 'first', _version: 1 });
    expect(get.body.data.getTodo.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('full sync pages by limit, then a delta sync returns exactly what changed', async () => {
    for (let i = 0; i < 7; i++) await t.gql(CREATE, { input: { id: `s${i}`, title: `t${i}` } });
    const full = await syncAll(t, null);
    expect(full.isFullSync).toBe(true);
    expect(full.pages).toBeGreaterThan(2);
    expect(full.items.map((i) => i.id)).toEqual(expect.arrayContaining(['s0', 's6', 'c1']));
    const ids = full.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);

    await t.gql(UPDATE, { input: { id: 's1', title: 'changed', _version: 1 } });
    await t.gql(DELETE, { input: { id: 's2', _version: 1 } });
    const delta = await syncAll(t, full.startedAt);
    expect(delta.isFullSync).toBe(false);
    expect(delta.items.map((i) => [i.id, i._version, i._deleted]).sort()).toEqual([['s1', 2, false], ['s2', 2, true]]);
    expect(delta.startedAt).toBeGreaterThan(full.startedAt);
    const none = await syncAll(t, delta.startedAt);
    expect(none.items).toEqual([]);
  });

  it('the first page of a sync tells how many records the whole sync hands out, when the caller reads every record', async () => {
    const TOTAL = SYNC.replace('isFullSync }', 'isFullSync total }');
    for (let i = 0; i < 5; i++) await t.gql(CREATE, { input: { id: `n${i}`, title: `n${i}` } });
    const pagesOf = async (lastSync: number | null, extra: Record<string, unknown> = {}) => {
      const pages: any[] = [];
      let nextToken: string | null = null;
      do {
        const { body } = await t.gql(TOTAL, { limit: 3, nextToken, lastSync, ...extra });
        expect(body.errors).toBeUndefined();
        pages.push(body.data.syncTodos);
        nextToken = body.data.syncTodos.nextToken;
      } while (nextToken);
      return pages;
    };
    const full = await pagesOf(null);
    const received = full.reduce((n, p) => n + p.items.length, 0);
    expect(full.length).toBeGreaterThan(1);
    expect(full[0].total).toBe(received);
    expect(full.slice(1).map((p) => p.total)).toEqual(full.slice(1).map(() => null));

    await t.gql(UPDATE, { input: { id: 'n1', title: 'changed', _version: 1 } });
    await t.gql(DELETE, { input: { id: 'n2', _version: 1 } });
    const delta = await pagesOf(full[0].startedAt);
    expect(delta[0].isFullSync).toBe(false);
    expect(delta[0].total).toBe(2);
    expect(delta.flatMap((p) => p.items).length).toBe(2);

    // A filter drops records only the pages can see: no total rather than a wrong one.
    expect((await pagesOf(null, { filter: { priority: { gt: 8 } } }))[0].total).toBeNull();
  });

  it('a sync total is counted as the pages are authorised: given for a caller who reads the whole model, withheld where rules filter per record', async () => {
    const NOTES = 'query($lastSync: AWSTimestamp) { syncNotes(limit: 2, lastSync: $lastSync) { items { id } nextToken total } }';
    const alice = { authorization: `Bearer ${await signToken('alice')}` };
    const admin = { authorization: `Bearer ${await signToken('root', { groups: ['Admins'] })}` };
    for (let i = 0; i < 3; i++) {
      const r = await t.gql('mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }', { input: { id: `note-total-${i}`, text: 'x' } }, alice);
      expect(r.body.errors).toBeUndefined();
    }
    const viaKey = await t.gql(NOTES, { lastSync: null });
    expect(viaKey.body.data.syncNotes.total).toBeGreaterThanOrEqual(3);
    expect((await t.gql(NOTES, { lastSync: null }, admin)).body.data.syncNotes.total).toBe(viaKey.body.data.syncNotes.total);
    // Owner rule: alice reads only her notes, known only record by record.
    expect((await t.gql(NOTES, { lastSync: null }, alice)).body.data.syncNotes.total).toBeNull();
  });

  it('an unknown lastSync gets a full sync flagged as such', async () => {
    const r = await syncAll(t, 12345);
    expect(r.isFullSync).toBe(true);
    expect(r.items.length).toBeGreaterThan(5);
  });

  it('sync filters apply (selective sync)', async () => {
    await t.gql(CREATE, { input: { id: 'f1', title: 'filtered', priority: 9 } });
    const r = await syncAll(t, null, { filter: { priority: { gt: 8 } } });
    expect(r.items.map((i) => i.id)).toEqual(['f1']);
  });

  it('pages are bounded in bytes as well as rows', async () => {
    const big = 'x'.repeat(4000);
    for (let i = 0; i < 5; i++) await t.gql(CREATE, { input: { id: `big${i}`, title: big } });
    const small = await startTestServer(kind, { limits: { maxPageBytes: 9000 } });
    try {
      for (let i = 0; i < 5; i++) await small.gql(CREATE, { input: { id: `big${i}`, title: big } });
      const { body } = await small.gql(SYNC, { limit: 100, nextToken: null, lastSync: null });
      expect(body.data.syncTodos.items.length).toBeLessThan(5);
      expect(body.data.syncTodos.nextToken).not.toBeNull();
    } finally {
      await small.close();
    }
  });

  it('applies a mutation id at most once', async () => {
    const input = { id: 'idem', title: 'once', _mutationId: 'm-1' };
    const first = await t.gql(CREATE, { input });
    const again = await t.gql(CREATE, { input });
    expect(again.body).toEqual(first.body);
    const upd = { id: 'idem', title: 'twice?', _version: 1, _mutationId: 'm-2' };
    const u1 = await t.gql(UPDATE, { input: upd });
    const u2 = await t.gql(UPDATE, { input: upd });
    expect(u1.body.data.updateTodo._version).toBe(2);
    expect(u2.body.data.updateTodo._version).toBe(2);
    const get = await t.gql('query { getTodo(id: "idem") { _version } }');
    expect(get.body.data.getTodo._version).toBe(2);
  });

  it('AUTOMERGE keeps edits of different fields by two clients', async () => {
    await t.gql(CREATE, { input: { id: 'am', title: 'base', priority: 1 } });
    const a = await t.gql(UPDATE, { input: { id: 'am', title: 'from A', _version: 1 } });
    expect(a.body.data.updateTodo._version).toBe(2);
    const b = await t.gql(UPDATE, { input: { id: 'am', priority: 5, _version: 1 } });
    expect(b.body.errors).toBeUndefined();
    expect(b.body.data.updateTodo).toMatchObject({ title: 'from A', priority: 5, _version: 3 });
  });

  it('AUTOMERGE: the same scalar edited on both sides keeps the server value; lists merge', async () => {
    await t.gql(CREATE, { input: { id: 'am2', title: 'base', tags: ['a'] } });
    await t.gql(UPDATE, { input: { id: 'am2', title: 'server', tags: ['a', 'b'], _version: 1 } });
    const stale = await t.gql(UPDATE, { input: { id: 'am2', title: 'client', tags: ['a', 'c'], _version: 1 } });
    expect(stale.body.data.updateTodo).toMatchObject({ title: 'server', tags: ['a', 'b', 'c'] });
  });

  it('a conflict on field X does not change field Y', async () => {
    await t.gql(CREATE, { input: { id: 'xy', title: 'x0', note: 'y0' } });
    await t.gql(UPDATE, { input: { id: 'xy', title: 'x-server', _version: 1 } });
    const r = await t.gql(UPDATE, { input: { id: 'xy', title: 'x-client', _version: 1 } });
    expect(r.body.data.updateTodo).toMatchObject({ title: 'x-server', note: 'y0' });
  });

  it('a delete stays a delete under AUTOMERGE even with a stale version', async () => {
    await t.gql(CREATE, { input: { id: 'del', title: 'v1' } });
    await t.gql(UPDATE, { input: { id: 'del', title: 'v2', _version: 1 } });
    const r = await t.gql(DELETE, { input: { id: 'del', _version: 1 } });
    expect(r.body.data.deleteTodo).toMatchObject({ _deleted: true, _version: 3 });
    const again = await t.gql(UPDATE, { input: { id: 'del', title: 'zombie', _version: 3 } });
    expect(again.body.errors[0].errorType).toBe('ConflictUnhandled');
  });

  it('OPTIMISTIC_CONCURRENCY rejects a stale version with ConflictUnhandled and the server record', async () => {
    const INV = 'id amount status _version _deleted _lastChangedAt';
    await t.gql(`mutation { createInvoice(input: { id: "i1", amount: 10 }) { ${INV} } }`);
    await t.gql(`mutation { updateInvoice(input: { id: "i1", amount: 20, _version: 1 }) { ${INV} } }`);
    const r = await t.gql(`mutation { updateInvoice(input: { id: "i1", amount: 30, _version: 1 }) { ${INV} } }`);
    expect(r.body.data.updateInvoice).toBeNull();
    expect(r.body.errors[0]).toMatchObject({ errorType: 'ConflictUnhandled', data: { id: 'i1', amount: 20, _version: 2 } });
  });

  it('CUSTOM resolvers decide (this one rejects)', async () => {
    await t.gql('mutation { createTicket(input: { id: "t1", state: "open" }) { id } }');
    await t.gql('mutation { updateTicket(input: { id: "t1", state: "closed", _version: 1 }) { id } }');
    const r = await t.gql('mutation { updateTicket(input: { id: "t1", assignee: "bo", _version: 1 }) { id } }');
    expect(r.body.errors[0].errorType).toBe('ConflictUnhandled');
  });

  it('conditions are checked and a failed one writes nothing', async () => {
    await t.gql(CREATE, { input: { id: 'cond', title: 'c', priority: 1 } });
    const r = await t.gql(UPDATE, { input: { id: 'cond', title: 'no', _version: 1 }, condition: { priority: { gt: 5 } } });
    expect(r.body.errors[0].errorType).toBe('ConditionalCheckFailedException');
    const ok = await t.gql(UPDATE, { input: { id: 'cond', title: 'yes', _version: 1 }, condition: { priority: { eq: 1 } } });
    expect(ok.body.data.updateTodo.title).toBe('yes');
  });

  it('pushMutations applies a batch in order, each with its own result', async () => {
    const PUSH = 'mutation($m: [OffgridMutationInput!]!) { pushMutations(mutations: $m) { mutationId record error { errorType message data } } }';
    const m = [
      { mutationId: 'p1', model: 'Todo', operation: 'CREATE', input: JSON.stringify({ id: 'p', title: 'one' }) },
      { mutationId: 'p2', model: 'Todo', operation: 'UPDATE', input: JSON.stringify({ id: 'p', title: 'two', _version: 1 }) },
      { mutationId: 'p3', model: 'Todo', operation: 'UPDATE', input: JSON.stringify({ id: 'p', title: 42, _version: 2 }) },
      { mutationId: 'p4', model: 'Todo', operation: 'UPDATE', input: JSON.stringify({ id: 'p', done: true, _version: 2 }) },
    ];
    const { body } = await t.gql(PUSH, { m });
    expect(body.errors).toBeUndefined();
    const results = body.data.pushMutations;
    expect(results.map((r: any) => r.mutationId)).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(JSON.parse(results[1].record)).toMatchObject({ title: 'two', _version: 2 });
    expect(results[2].error.errorType).toBe('ValidationError');
    expect(results[2].error.message).toMatch(/Todo\.title: expected a string/);
    expect(JSON.parse(results[3].record)).toMatchObject({ title: 'two', done: true, _version: 3 });
    const replay = await t.gql(PUSH, { m });
    expect(replay.body).toEqual(body);
  });

  it('clients cannot write server-managed fields', async () => {
    const r = await t.gql(CREATE, { input: { id: 'mg', title: 'x', _deleted: true } });
    expect(r.body.errors[0].message).toMatch(/_deleted|not defined|Unknown field/);
    const r2 = await t.gql('mutation { createTodo(input: { id: "mg2", title: "x", createdAt: "2020-01-01T00:00:00Z" }) { id } }');
    expect(r2.body.errors[0].message).toMatch(/createdAt/);
  });

  it('list returns live records only', async () => {
    const { body } = await t.gql('query { listTodos(limit: 1000) { items { id _deleted } nextToken } }');
    const ids = body.data.listTodos.items.map((i: any) => i.id);
    expect(ids).not.toContain('del');
    expect(ids).toContain('c1');
  });
});
