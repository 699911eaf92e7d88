import { parseSchema } from '@offgrid/schema';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTATION_PATHS, mutateVia, type MutationCall } from './test-support/mutate-via';
import { DATABASES, JWT_SECRET, startTestServer, type TestServer } from './test-support/test-server';
import { signToken } from './test-support/tokens';

/** Mutation ids are idempotency keys per caller: never a way to read, or to block, another caller's write. */
const SDL = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String!
    owner: String
  }
  type Board @model @auth(rules: [{ allow: public }]) {
    id: ID!
    text: String!
  }
  type Todo @model {
    id: ID!
    text: String!
  }
`;

const KEY_ONE = 'key-one';
const KEY_TWO = 'key-two';
const ADMIN = { 'x-api-key': 'admin-key' };

const bearer = async (token: Promise<string>) => ({ authorization: `Bearer ${await token}` });
const issued = (iss: string, sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(iss).setSubject(sub).setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));

describe.each(DATABASES)('mutation ids are scoped to the caller on %s', (kind) => {
  let t: TestServer;
  let alice: Record<string, string>;
  let bob: Record<string, string>;
  let samAtA: Record<string, string>;
  let samAtB: Record<string, string>;
  let n = 0;
  const fresh = (what: string) => `${what}-${kind}-${++n}`;

  beforeAll(async () => {
    t = await startTestServer(kind, { schema: parseSchema(SDL), conflicts: {}, auth: { apiKeys: [KEY_ONE, KEY_TWO], adminApiKeys: ['admin-key'], jwt: { secret: JWT_SECRET } } });
    alice = await bearer(signToken('alice'));
    bob = await bearer(signToken('bob'));
    samAtA = await bearer(issued('https://idp-a.example', 'sam'));
    samAtB = await bearer(issued('https://idp-b.example', 'sam'));
  });
  afterAll(async () => {
    await t.close();
  });

  const note = (id: string, text: string): Omit<MutationCall, 'mutationId'> => ({ model: 'Note', operation: 'create', input: { id, text }, selection: 'id text owner _version' });
  async function stored(model: string, id: string) {
    const { body } = await t.gql(`query { get${model}(id: "${id}") { id text _version ${model === 'Note' ? 'owner' : ''} } }`, {}, ADMIN);
    return body.data[`get${model}`];
  }

  describe.each(MUTATION_PATHS)('over %s', (path) => {
    it("another user sending a used mutation id gets their own mutation applied, never the first user's record", async () => {
      const mutationId = fresh('shared-id');
      const mine = fresh('alice-note');
      const first = await mutateVia(t, path, alice, { ...note(mine, 'alice private text'), mutationId });
      expect(first.record).toMatchObject({ id: mine, owner: 'alice' });

      const theirs = fresh('bob-note');
      const second = await mutateVia(t, path, bob, { ...note(theirs, 'bob text'), mutationId });
      expect(second.error).toBeNull();
      expect(second.record).toMatchObject({ id: theirs, text: 'bob text', owner: 'bob', _version: 1 });
      expect(JSON.stringify(second)).not.toContain('alice');
      expect(await stored('Note', theirs)).toMatchObject({ owner: 'bob', _version: 1 });
    });

    it("a write whose id someone else claimed first is applied, not dropped as a replay", async () => {
      const mutationId = fresh('claimed-id');
      await mutateVia(t, path, bob, { ...note(fresh('bob-first'), 'bob claims the id'), mutationId });
      const mine = fresh('alice-later');
      const answer = await mutateVia(t, path, alice, { ...note(mine, 'alice'), mutationId });
      expect(answer.record).toMatchObject({ id: mine, owner: 'alice' });
      expect(await stored('Note', mine)).toMatchObject({ owner: 'alice', _version: 1 });
    });

    it("an update replaying another user's mutation id on their record gets nothing of it back", async () => {
      const mutationId = fresh('update-id');
      const mine = fresh('alice-secret');
      await mutateVia(t, path, alice, { ...note(mine, 'alice secret'), mutationId });
      const probe = await mutateVia(t, path, bob, { model: 'Note', operation: 'update', input: { id: mine, text: 'probe', _version: 1 }, mutationId, selection: 'id text owner _version' });
      expect(probe.record).toBeNull();
      expect(probe.error?.data).toBeNull();
      expect(JSON.stringify(probe)).not.toContain('alice secret');
      expect(await stored('Note', mine)).toMatchObject({ text: 'alice secret', _version: 1 });
    });

    it('two API keys are two callers; the same key and id is the same caller', async () => {
      const mutationId = fresh('key-id');
      const id = fresh('board');
      const call = { model: 'Board', operation: 'create' as const, input: { id, text: 'one' }, mutationId, selection: 'id text _version' };
      const one = await mutateVia(t, path, { 'x-api-key': KEY_ONE }, call);
      expect(one.record).toMatchObject({ id, _version: 1 });
      // The second key sends the very same mutation: it is a new create of a taken key, not key one's success.
      const two = await mutateVia(t, path, { 'x-api-key': KEY_TWO }, call);
      expect(two.record).toBeNull();
      expect(two.error?.errorType).toBe('ConditionalCheckFailedException');
      // Key one retrying gets its first answer again.
      expect(await mutateVia(t, path, { 'x-api-key': KEY_ONE }, call)).toEqual(one);
    });

    it('the same subject from two issuers is two callers', async () => {
      const mutationId = fresh('iss-id');
      const a = fresh('todo-a');
      const b = fresh('todo-b');
      const todo = (id: string) => ({ model: 'Todo', operation: 'create' as const, input: { id, text: id }, mutationId, selection: 'id text' });
      expect((await mutateVia(t, path, samAtA, todo(a))).record).toMatchObject({ id: a });
      expect((await mutateVia(t, path, samAtB, todo(b))).record).toMatchObject({ id: b });
      expect(await stored('Todo', b)).toMatchObject({ id: b });
    });

    it('a retry with the same id and payload gets the first answer and writes nothing more', async () => {
      const id = fresh('retry');
      await mutateVia(t, path, alice, note(id, 'v1'));
      const mutationId = fresh('retry-id');
      const call: MutationCall = { model: 'Note', operation: 'update', input: { id, text: 'v2', _version: 1 }, mutationId, selection: 'id text owner _version' };
      const first = await mutateVia(t, path, alice, call);
      expect(first.record).toMatchObject({ text: 'v2', _version: 2 });
      // Key order does not make another payload.
      const again = await mutateVia(t, path, alice, { ...call, input: { _version: 1, text: 'v2', id } });
      expect(again).toEqual(first);
      expect(await stored('Note', id)).toMatchObject({ text: 'v2', _version: 2 });
    });

    it('the same id with another payload from the same caller is refused, naming the id, and writes nothing', async () => {
      const id = fresh('reuse');
      const mutationId = fresh('reuse-id');
      await mutateVia(t, path, alice, { ...note(id, 'first'), mutationId });
      const reused = await mutateVia(t, path, alice, { model: 'Note', operation: 'update', input: { id, text: 'second', _version: 1 }, mutationId, selection: 'id text _version' });
      expect(reused.record).toBeNull();
      expect(reused.error).toMatchObject({ errorType: 'BadRequest', data: null });
      expect(reused.error?.message).toContain(`"${mutationId}"`);
      expect(reused.error?.message).toMatch(/fresh id/);
      expect(await stored('Note', id)).toMatchObject({ text: 'first', _version: 1 });
    });
  });

  it('the same mutation sent concurrently by one caller is applied once, and every answer is that one', async () => {
    const id = fresh('race');
    await mutateVia(t, 'http', alice, note(id, 'v1'));
    const call: MutationCall = { model: 'Note', operation: 'update', input: { id, text: 'raced', _version: 1 }, mutationId: fresh('race-id'), selection: 'id text _version' };
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => mutateVia(t, i % 2 ? 'push' : 'http', alice, call)));
    for (const a of answers) expect(a.record).toMatchObject({ text: 'raced', _version: 2 });
    expect(await stored('Note', id)).toMatchObject({ text: 'raced', _version: 2 });
  });
});
