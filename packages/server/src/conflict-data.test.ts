import { parseSchema } from '@offgrid/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachAppSyncRealtime } from './appsync/realtime-server';
import { MUTATION_PATHS, mutateVia, type MutationAnswer, type MutationCall } from './test-support/mutate-via';
import { DATABASES, startTestServer, TEST_API_KEY, type TestServer } from './test-support/test-server';
import { signToken } from './test-support/tokens';
import WebSocket from 'ws';

/**
 * A refusal carries the server's copy of a record only to a caller whose read rule passes for it; and a
 * record the caller may not read is, for updates and deletes, indistinguishable from a missing one.
 */
const SDL = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String!
    owner: String
  }
  type Shared @model @auth(rules: [{ allow: owner, ownerField: "editors" }]) {
    id: ID!
    text: String!
    editors: [String]
  }
  type Staff @model @auth(rules: [{ allow: groups, groups: ["Staff"] }]) {
    id: ID!
    text: String!
  }
  type Inbox @model @auth(rules: [{ allow: public, operations: [create] }, { allow: private, operations: [create] }, { allow: owner }]) {
    id: ID!
    text: String!
    owner: String
  }
  type Wiki @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
    id: ID!
    text: String!
    owner: String
  }
  type Board @model @auth(rules: [{ allow: public }]) {
    id: ID!
    text: String!
  }
  type Invoice @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String!
    owner: String
  }
`;

type Who = 'alice' | 'bob' | 'carol' | 'staff' | 'key';
const SECRET = 'only-the-owner-may-read-this';
const SELECTION: Record<string, string> = {
  Note: 'id text owner _version _deleted',
  Shared: 'id text editors _version _deleted',
  Staff: 'id text _version _deleted',
  Inbox: 'id text owner _version _deleted',
  Wiki: 'id text owner _version _deleted',
  Board: 'id text _version _deleted',
  Invoice: 'id text owner _version _deleted',
};
const NOT_FOUND = /^The conditional request failed for \w+; nothing was written\.$/;

describe.each(DATABASES)('conflict data and read rules on %s', (kind) => {
  let t: TestServer;
  const who = {} as Record<Who, Record<string, string>>;
  let n = 0;

  beforeAll(async () => {
    t = await startTestServer(kind, { schema: parseSchema(SDL), conflicts: { Invoice: { strategy: 'OPTIMISTIC_CONCURRENCY' } } });
    attachAppSyncRealtime(t.server, t.schema, { keepAliveMs: 60_000 });
    const bearer = async (token: Promise<string>) => ({ authorization: `Bearer ${await token}` });
    Object.assign(who, {
      alice: await bearer(signToken('alice')),
      bob: await bearer(signToken('bob')),
      carol: await bearer(signToken('carol')),
      staff: await bearer(signToken('stan', { groups: ['Staff'] })),
      key: { 'x-api-key': TEST_API_KEY },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (model: string, operation: MutationCall['operation'], input: Record<string, unknown>): MutationCall => ({ model, operation, input, selection: SELECTION[model]! });

  /** A record of `model` created by `owner` (alice, or the staff user for Staff), holding SECRET. */
  async function seed(model: string, owner: Who = 'alice'): Promise<string> {
    const id = `${model.toLowerCase()}-${kind}-${++n}`;
    const input: Record<string, unknown> = { id, text: SECRET };
    if (model === 'Shared') input.editors = ['alice', 'carol'];
    const { record, error } = await mutateVia(t, 'http', who[owner], call(model, 'create', input));
    expect(error).toBeNull();
    expect(record).toMatchObject({ id });
    return id;
  }

  function expectNothingOf(answer: MutationAnswer) {
    expect(answer.record).toBeNull();
    expect(answer.error?.data ?? null).toBeNull();
    expect(answer.error?.message).not.toContain(SECRET);
    expect(answer.error?.message).not.toMatch(/version|deleted|alice|carol/);
  }

  /** [model, outsider]: the outsider may create a record of the model but not read this one. */
  const OUTSIDERS: Array<[string, Who]> = [
    ['Note', 'bob'],
    ['Shared', 'bob'],
    ['Inbox', 'bob'],
    ['Inbox', 'key'],
  ];

  describe.each(MUTATION_PATHS)('over %s', (path) => {
    it.each(OUTSIDERS)("a create with the id of someone else's %s record (as %s) says the key is taken and nothing more", async (model, outsider) => {
      const id = await seed(model);
      const answer = await mutateVia(t, path, who[outsider], call(model, 'create', { id, text: 'mine now' }));
      expect(answer.error?.errorType).toBe('ConditionalCheckFailedException');
      expect(answer.error?.message).toMatch(NOT_FOUND);
      expectNothingOf(answer);
    });

    it.each(OUTSIDERS)('a create with a condition cannot probe an unreadable %s record (as %s)', async (model, outsider) => {
      const id = await seed(model);
      const holds = await mutateVia(t, path, who[outsider], { ...call(model, 'create', { id, text: 'x' }), condition: { text: { eq: SECRET } } });
      const fails = await mutateVia(t, path, who[outsider], { ...call(model, 'create', { id, text: 'x' }), condition: { text: { eq: 'a wrong guess' } } });
      expect(holds).toEqual(fails);
      expectNothingOf(holds);
    });

    it('a create over a deleted record of someone else answers as over a live one', async () => {
      const live = await seed('Note');
      const gone = await seed('Note');
      expect((await mutateVia(t, 'http', who.alice, call('Note', 'delete', { id: gone, _version: 1 }))).record).toMatchObject({ _deleted: true });
      const overLive = await mutateVia(t, path, who.bob, call('Note', 'create', { id: live, text: 'x' }));
      const overGone = await mutateVia(t, path, who.bob, call('Note', 'create', { id: gone, text: 'x' }));
      expect(overGone).toEqual(overLive);
      expectNothingOf(overGone);
    });

    it("an editor of a multi-owner record, and the owner, get the server's copy in a conflict (Amplify's handler reads it)", async () => {
      const shared = await seed('Shared');
      const byEditor = await mutateVia(t, path, who.carol, call('Shared', 'create', { id: shared, text: 'again' }));
      expect(byEditor.error?.errorType).toBe('ConditionalCheckFailedException');
      expect(byEditor.error?.data).toMatchObject({ id: shared, text: SECRET, editors: ['alice', 'carol'], _version: 1 });

      const invoice = await seed('Invoice');
      await mutateVia(t, 'http', who.alice, call('Invoice', 'update', { id: invoice, text: 'v2', _version: 1 }));
      const stale = await mutateVia(t, path, who.alice, call('Invoice', 'update', { id: invoice, text: 'stale', _version: 1 }));
      expect(stale.error?.errorType).toBe('ConflictUnhandled');
      expect(stale.error?.data).toMatchObject({ id: invoice, text: 'v2', owner: 'alice', _version: 2 });

      const gone = await seed('Note');
      await mutateVia(t, 'http', who.alice, call('Note', 'delete', { id: gone, _version: 1 }));
      const recreate = await mutateVia(t, path, who.alice, call('Note', 'create', { id: gone, text: 'again' }));
      expect(recreate.error?.errorType).toBe('ConflictUnhandled');
      expect(recreate.error?.data).toMatchObject({ id: gone, _deleted: true });
    });

    it('a caller who may read a record it may not create over gets its copy: data follows the read rule', async () => {
      const board = `board-${kind}-${++n}`;
      await mutateVia(t, 'http', who.key, call('Board', 'create', { id: board, text: 'public' }));
      const again = await mutateVia(t, path, who.key, call('Board', 'create', { id: board, text: 'x' }));
      expect(again.error?.data).toMatchObject({ id: board, text: 'public' });
    });

    it.each([
      ['update', 'Note', 'bob'],
      ['delete', 'Note', 'bob'],
      ['update', 'Shared', 'bob'],
      ['delete', 'Shared', 'bob'],
      ['update', 'Inbox', 'bob'],
      ['delete', 'Inbox', 'bob'],
    ] as const)('%s of an unreadable %s record (as %s) answers exactly as for a missing one', async (operation, model, outsider) => {
      const id = await seed(model);
      const input = (key: string) => (operation === 'update' ? { id: key, text: 'x', _version: 1 } : { id: key, _version: 1 });
      const missing = await mutateVia(t, path, who[outsider], call(model, operation, input(`${id}-missing`)));
      const unreadable = await mutateVia(t, path, who[outsider], call(model, operation, input(id)));
      expect(unreadable).toEqual(missing);
      expect(unreadable.error?.errorType).toBe('ConditionalCheckFailedException');
      expect(unreadable.error?.message).toMatch(NOT_FOUND);
      expectNothingOf(unreadable);
      const { body } = await t.gql(`query { get${model}(id: "${id}") { text _version _deleted } }`, {}, { 'x-api-key': 'admin-key' });
      expect(body.data[`get${model}`]).toEqual({ text: SECRET, _version: 1, _deleted: false });
    });

    it('a caller no rule lets change the model is refused as such, whether or not the record exists', async () => {
      const id = await seed('Staff', 'staff');
      const missing = await mutateVia(t, path, who.bob, call('Staff', 'update', { id: `${id}-missing`, text: 'x', _version: 1 }));
      const existing = await mutateVia(t, path, who.bob, call('Staff', 'update', { id, text: 'x', _version: 1 }));
      expect(existing).toEqual(missing);
      expect(existing.error?.errorType).toBe('Unauthorized');
      expectNothingOf(existing);
    });

    it('a caller who may read a record but not change it is told so (it knows the record exists)', async () => {
      const id = await seed('Wiki');
      const answer = await mutateVia(t, path, who.bob, call('Wiki', 'update', { id, text: 'x', _version: 1 }));
      expect(answer.error?.errorType).toBe('Unauthorized');
      expect(answer.error?.data ?? null).toBeNull();
    });
  });

  it('the AppSync real-time endpoint runs no mutation', async () => {
    const host = new URL(t.url).host;
    const header = Buffer.from(JSON.stringify({ host, ...who.bob })).toString('base64url');
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', `header-${header}`]);
    const messages: any[] = [];
    ws.on('message', (m) => messages.push(JSON.parse(String(m))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    const id = `rt-${kind}`;
    ws.send(JSON.stringify({
      id: 'm1',
      type: 'start',
      payload: { data: JSON.stringify({ query: `mutation { createNote(input: { id: "${id}", text: "x" }) { id } }` }), extensions: { authorization: { host, ...who.bob } } },
    }));
    const deadline = Date.now() + 5000;
    while (!messages.some((m) => m.id === 'm1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    ws.close();
    expect(messages.find((m) => m.id === 'm1')?.type).toBe('error');
    const { body } = await t.gql(`query { getNote(id: "${id}") { id } }`, {}, { 'x-api-key': 'admin-key' });
    expect(body.data.getNote).toBeNull();
  });
});
