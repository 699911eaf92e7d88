import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, startTestServer, type TestServer } from './test-support/test-server';
import { signToken } from './test-support/tokens';

const NOW = Date.UTC(2030, 0, 2, 3, 4, 5);
const FIELDS = 'id title _version _deleted _lastChangedAt createdAt updatedAt';
const PUSH = 'mutation($m: [OffgridMutationInput!]!) { pushMutations(mutations: $m) { record error { errorType message } } }';

describe.each(DATABASES)('server-managed fields on %s', (kind) => {
  let t: TestServer;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestServer(kind, { now: () => NOW });
  });
  afterAll(async () => {
    await t.close();
  });

  const push = async (operation: string, input: Record<string, unknown>, headers?: Record<string, string>, model = 'Todo') => {
    const { body } = await t.gql(PUSH, { m: [{ mutationId: `mf-${kind}-${++seq}`, model, operation, input: JSON.stringify(input) }] }, headers);
    expect(body.errors).toBeUndefined();
    return body.data.pushMutations[0] as { record: string | null; error: { errorType: string; message: string } | null };
  };
  /** The stored record, deleted or not (a sync page shows tombstones; get hides them). */
  const get = async (id: string) => {
    const { body } = await t.gql(`query($f: ModelTodoFilterInput) { syncTodos(filter: $f) { items { ${FIELDS} } } }`, { f: { id: { eq: id } } }, { 'x-api-key': 'admin-key' });
    return body.data.syncTodos.items[0] ?? null;
  };

  it('a client-sent _version never becomes the record version; the server counts', async () => {
    const created = await t.gql(`mutation { createTodo(input: { id: "v1", title: "x", _version: 99 }) { ${FIELDS} } }`);
    expect(created.body.data.createTodo._version).toBe(1);
    const pushed = await push('CREATE', { id: 'v2', title: 'x', _version: 50 });
    expect(JSON.parse(pushed.record!)._version).toBe(1);

    const ahead = await t.gql('mutation { updateTodo(input: { id: "v1", title: "jump", _version: 99 }) { id } }');
    expect(ahead.body.errors[0].errorType).toBe('ConflictUnhandled');
    expect(ahead.body.errors[0].message).toMatch(/_version 99 is newer than the server's 1/);
    expect(await get('v1')).toMatchObject({ title: 'x', _version: 1 });
    const next = await t.gql('mutation { updateTodo(input: { id: "v1", title: "y", _version: 1 }) { _version } }');
    expect(next.body.data.updateTodo._version).toBe(2);
  });

  it('_lastChangedAt and the timestamps come from the server clock', async () => {
    const r = await t.gql(`mutation { createTodo(input: { id: "ts", title: "x" }) { ${FIELDS} } }`);
    expect(r.body.data.createTodo).toMatchObject({ _lastChangedAt: NOW, createdAt: new Date(NOW).toISOString(), updatedAt: new Date(NOW).toISOString() });
    for (const [field, value] of [['_lastChangedAt', 1], ['createdAt', '2000-01-01T00:00:00.000Z'], ['updatedAt', '2000-01-01T00:00:00.000Z']] as const) {
      const viaPush = await push('UPDATE', { id: 'ts', title: 'y', [field]: value, _version: 1 });
      expect(viaPush.record).toBeNull();
      expect(viaPush.error!.errorType).toBe('ValidationError');
      expect(viaPush.error!.message).toMatch(new RegExp(`Todo\\.${field} is (managed|set) by the server`));
      const viaGraphQL = await t.gql(`mutation($input: UpdateTodoInput!) { updateTodo(input: $input) { id } }`, { input: { id: 'ts', [field]: value, _version: 1 } });
      expect(viaGraphQL.body.errors[0].message).toMatch(new RegExp(`Field "${field}" is not defined by type "UpdateTodoInput"`));
    }
    expect(await get('ts')).toMatchObject({ title: 'x', _version: 1, _lastChangedAt: NOW });
  });

  it('_deleted is only changed by a delete', async () => {
    await t.gql('mutation { createTodo(input: { id: "del", title: "x" }) { id } }');
    const hide = await push('UPDATE', { id: 'del', _deleted: true, _version: 1 });
    expect(hide.error!.message).toMatch(/Todo\._deleted is managed by the server/);
    expect(await get('del')).toMatchObject({ _deleted: false, _version: 1 });
    await t.gql('mutation { deleteTodo(input: { id: "del", _version: 1 }) { id } }');
    const revive = await push('UPDATE', { id: 'del', _deleted: false, _version: 2 });
    expect(revive.error!.errorType).toBe('ValidationError');
    expect(await get('del')).toMatchObject({ _deleted: true, _version: 2 });
  });

  it('a pushed create cannot name someone else as owner, and a pushed update cannot take a record over', async () => {
    const alice = { authorization: `Bearer ${await signToken('alice')}` };
    const bob = { authorization: `Bearer ${await signToken('bob')}` };
    const forged = await push('CREATE', { id: 'n-forged', text: 'x', owner: 'alice' }, bob, 'Note');
    expect(forged.error!.errorType).toBe('Unauthorized');
    const own = await push('CREATE', { id: 'n-own', text: 'x' }, alice, 'Note');
    expect(JSON.parse(own.record!).owner).toBe('alice');
    const takeover = await push('UPDATE', { id: 'n-own', owner: 'bob', _version: 1 }, alice, 'Note');
    expect(takeover.error!.errorType).toBe('Unauthorized');
    const note = await t.gql('query { getNote(id: "n-own") { owner _version } }', {}, alice);
    expect(note.body.data.getNote).toEqual({ owner: 'alice', _version: 1 });
    const none = await t.gql('query { getNote(id: "n-forged") { id } }', {}, { 'x-api-key': 'admin-key' });
    expect(none.body.data.getNote).toBeNull();
  });
});
