import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSchema } from '@offgrid/schema';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, JWT_SECRET, startTestServer, TEST_API_KEY, type TestServer } from './test-support/test-server';
import { signToken } from './test-support/tokens';
import { attachAppSyncRealtime } from './appsync/realtime-server';
import { subscribe, wsClient } from './test-support/graphql-ws-client';
import { connectRealtime } from './test-support/realtime-client';

/** One model per kind of rule, so each row of the matrix exercises one rule. */
const AUTH_SDL = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Admins"] }, { allow: public, operations: [read] }]) {
    id: ID!
    text: String!
    owner: String
  }
  type Post @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }, { allow: groups, groups: ["Editors"], groupClaim: "roles", operations: [read, update] }]) {
    id: ID!
    text: String!
    owner: String
  }
  type Board @model @auth(rules: [{ allow: public }]) {
    id: ID!
    text: String!
  }
  type Doc @model @auth(rules: [{ allow: owner, ownerField: "author", operations: [create, read, update] }, { allow: groups, groupsField: "readers", operations: [read] }]) {
    id: ID!
    text: String!
    author: String
    readers: [String]
  }
  type Todo @model {
    id: ID!
    text: String!
  }
`;

type Who = 'key' | 'alice' | 'aliceNoBearer' | 'bob' | 'admin' | 'editor' | 'team' | 'dave' | 'adminKey';
/**
 * `recreate`: a create with the id of the seed record; allowed means the refusal carried the server's copy.
 * `replay`: a create of the caller's own record under the mutation id alice (or the admin key) used for the
 * seed; allowed means the caller's own create was applied (never the seed's result replayed).
 */
type Op = 'create' | 'get' | 'list' | 'sync' | 'update' | 'delete' | 'push' | 'recreate' | 'replay';
type Model = 'Note' | 'Post' | 'Board' | 'Doc' | 'Todo';

/** Owner fields of the models that have one. */
const OWNER_FIELD: Partial<Record<Model, string>> = { Note: 'owner', Post: 'owner', Doc: 'author' };

/**
 * The matrix. Seed records belong to alice (and Doc's list readers to "Team"); each row runs against a
 * fresh seed, so rows do not depend on each other.
 */
const MATRIX: Array<[Who, Model, Op, boolean]> = [
  // Owner rule, plus static Admins group (cognito:groups) and public read.
  ['alice', 'Note', 'create', true],
  ['bob', 'Note', 'create', true],
  ['key', 'Note', 'create', false],
  ['alice', 'Note', 'get', true],
  ['aliceNoBearer', 'Note', 'get', true],
  ['bob', 'Note', 'get', false],
  ['key', 'Note', 'get', true],
  ['admin', 'Note', 'get', true],
  ['bob', 'Note', 'list', false],
  ['key', 'Note', 'list', true],
  ['bob', 'Note', 'sync', false],
  ['alice', 'Note', 'sync', true],
  ['alice', 'Note', 'update', true],
  ['bob', 'Note', 'update', false],
  ['key', 'Note', 'update', false],
  ['admin', 'Note', 'update', true],
  ['bob', 'Note', 'push', false],
  ['alice', 'Note', 'push', true],
  ['bob', 'Note', 'delete', false],
  ['key', 'Note', 'delete', false],
  ['admin', 'Note', 'delete', true],
  ['alice', 'Note', 'delete', true],
  // Private read; a group from a custom claim (roles) may read and update but not delete.
  ['bob', 'Post', 'get', true],
  ['dave', 'Post', 'list', true],
  ['key', 'Post', 'get', false],
  ['key', 'Post', 'sync', false],
  ['bob', 'Post', 'update', false],
  ['editor', 'Post', 'update', true],
  ['editor', 'Post', 'push', true],
  ['editor', 'Post', 'delete', false],
  ['dave', 'Post', 'create', true],
  // Public (API key) only: signed-in users are not "public".
  ['key', 'Board', 'create', true],
  ['key', 'Board', 'update', true],
  ['key', 'Board', 'delete', true],
  ['alice', 'Board', 'get', false],
  ['alice', 'Board', 'create', false],
  // Per-operation owner rule (no delete) and dynamic groups (readers field).
  ['alice', 'Doc', 'create', true],
  ['alice', 'Doc', 'update', true],
  ['alice', 'Doc', 'delete', false],
  ['team', 'Doc', 'get', true],
  ['team', 'Doc', 'sync', true],
  ['team', 'Doc', 'update', false],
  ['bob', 'Doc', 'get', false],
  ['adminKey', 'Doc', 'delete', true],
  // No rules: any authenticated caller.
  ['key', 'Todo', 'create', true],
  ['bob', 'Todo', 'update', true],
  ['dave', 'Todo', 'list', true],
  // Conflict data follows the read rule: only a caller who may read the seed gets its copy.
  ['alice', 'Note', 'recreate', true],
  ['admin', 'Note', 'recreate', true],
  ['bob', 'Note', 'recreate', false],
  ['key', 'Note', 'recreate', false],
  ['dave', 'Post', 'recreate', true],
  ['team', 'Doc', 'recreate', true],
  ['bob', 'Doc', 'recreate', false],
  ['key', 'Board', 'recreate', true],
  ['bob', 'Todo', 'recreate', true],
  // Mutation ids are per caller: another caller's id is a new mutation of theirs.
  ['bob', 'Note', 'replay', true],
  ['key', 'Note', 'replay', false],
  ['dave', 'Post', 'replay', true],
  ['bob', 'Doc', 'replay', true],
  ['key', 'Board', 'replay', true],
  ['key', 'Todo', 'replay', true],
  ['adminKey', 'Todo', 'replay', true],
];

describe.each(DATABASES)('auth matrix on %s', (kind) => {
  let t: TestServer;
  let jwks: Server;
  let rsaToken: (sub: string, kid?: string) => Promise<string>;
  let strangerRsaToken: string;
  const headers = {} as Record<Who, Record<string, string>>;
  let seq = 0;

  beforeAll(async () => {
    // A JWKS served from a local HTTP server, as Cognito or Auth0 would.
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    rsaToken = (sub, kid = 'test-key') => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid }).setSubject(sub).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    const stranger = await generateKeyPair('RS256');
    strangerRsaToken = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setSubject('mallory').setExpirationTime('1h').sign(stranger.privateKey);

    t = await startTestServer(kind, {
      schema: parseSchema(AUTH_SDL), conflicts: {},
      auth: { apiKeys: [TEST_API_KEY], adminApiKeys: ['admin-key'], jwt: { secret: JWT_SECRET, jwksUrl } },
    });
    const bearer = async (token: Promise<string>) => ({ authorization: `Bearer ${await token}` });
    Object.assign(headers, {
      key: { 'x-api-key': TEST_API_KEY },
      adminKey: { 'x-api-key': 'admin-key' },
      alice: await bearer(signToken('alice')),
      aliceNoBearer: { authorization: await signToken('alice') },
      bob: await bearer(signToken('bob')),
      admin: await bearer(signToken('carol', { groups: ['Admins'] })),
      team: await bearer(signToken('tess', { groups: ['Team'] })),
      editor: await bearer(new SignJWT({ roles: ['Editors'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('ed').setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET))),
      dave: await bearer(rsaToken('dave')),
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const fields = (model: Model) => `id text _version _deleted ${OWNER_FIELD[model] ?? ''} ${model === 'Doc' ? 'readers' : ''}`;
  const plural = (model: Model) => `${model}s`;

  /** A record owned by alice, written with the admin key. */
  async function seed(model: Model): Promise<string> {
    const id = `${model.toLowerCase()}-${kind}-${++seq}`;
    const input: Record<string, unknown> = { id, text: 'seed' };
    if (OWNER_FIELD[model]) input[OWNER_FIELD[model]!] = 'alice';
    if (model === 'Doc') input.readers = ['Team'];
    const { body } = await t.gql(`mutation($input: Create${model}Input!) { create${model}(input: $input) { id } }`, { input }, headers.adminKey);
    expect(body.errors).toBeUndefined();
    return id;
  }

  async function stored(model: Model, id: string): Promise<any> {
    const { body } = await t.gql(`query { get${model}(id: "${id}") { ${fields(model)} } }`, {}, headers.adminKey);
    return body.data[`get${model}`];
  }

  const isUnauthorized = (body: any) => body.errors?.[0]?.errorType === 'Unauthorized';

  /**
   * A refused update or delete: Unauthorized, or, for a record the caller may not read, exactly what a
   * missing record answers (so the refusal does not tell that the key exists), with nothing of the record.
   */
  async function expectRefused(who: Who, model: Model, id: string, error: any): Promise<void> {
    if (error?.errorType === 'Unauthorized') return;
    expect(error).toMatchObject({ errorType: 'ConditionalCheckFailedException', data: null, message: `The conditional request failed for ${model}; nothing was written.` });
    const { body } = await t.gql(`query { get${model}(id: "${id}") { id } }`, {}, headers[who]);
    expect(body.data?.[`get${model}`] ?? null).toBeNull();
  }

  /** Runs one operation as `who`; answers whether it was allowed, checking that a refusal wrote nothing. */
  async function attempt(who: Who, model: Model, op: Op): Promise<boolean> {
    const h = headers[who];
    if (op === 'create') {
      const id = `${model.toLowerCase()}-${kind}-new-${++seq}`;
      const { status, body } = await t.gql(`mutation($input: Create${model}Input!) { create${model}(input: $input) { ${fields(model)} } }`, { input: { id, text: 'new' } }, h);
      expect(status).toBe(200);
      const record = body.data?.[`create${model}`];
      if (record) {
        const ownerField = OWNER_FIELD[model];
        // The owner is filled in from the token's sub.
        if (ownerField && who !== 'key' && who !== 'adminKey') expect(record[ownerField]).toBe(who === 'aliceNoBearer' ? 'alice' : { editor: 'ed', admin: 'carol', team: 'tess' }[who as string] ?? who);
        return true;
      }
      expect(isUnauthorized(body)).toBe(true);
      expect(await stored(model, id)).toBeNull();
      return false;
    }
    if (op === 'replay') {
      const mutationId = `replay-${kind}-${++seq}`;
      const create = `mutation($input: Create${model}Input!) { create${model}(input: $input) { ${fields(model)} } }`;
      const seedInput: Record<string, unknown> = { id: `victim-${kind}-${seq}`, text: 'victim text', _mutationId: mutationId };
      if (model === 'Doc') seedInput.readers = ['Team'];
      const seeded = await t.gql(create, { input: seedInput }, model === 'Board' ? headers.adminKey : headers.alice);
      expect(seeded.body.errors).toBeUndefined();
      const mine = `mine-${kind}-${seq}`;
      const { body } = await t.gql(create, { input: { id: mine, text: 'mine', _mutationId: mutationId } }, h);
      expect(JSON.stringify(body)).not.toContain('victim');
      if (body.data?.[`create${model}`]) {
        expect(body.data[`create${model}`]).toMatchObject({ id: mine, text: 'mine', _version: 1 });
        expect(await stored(model, mine)).toMatchObject({ id: mine, text: 'mine' });
        return true;
      }
      expect(isUnauthorized(body)).toBe(true);
      expect(await stored(model, mine)).toBeNull();
      return false;
    }
    const id = await seed(model);
    switch (op) {
      case 'get': {
        const { body } = await t.gql(`query { get${model}(id: "${id}") { ${fields(model)} } }`, {}, h);
        if (body.data?.[`get${model}`]) return true;
        expect(body.data?.[`get${model}`] ?? null).toBeNull();
        return false;
      }
      case 'list':
      case 'sync': {
        const field = op === 'list' ? `list${plural(model)}` : `sync${plural(model)}`;
        const { body } = await t.gql(`query { ${field}(limit: 1000) { items { ${fields(model)} } } }`, {}, h);
        if (isUnauthorized(body)) return false;
        expect(body.errors).toBeUndefined();
        const ids = body.data[field].items.map((i: any) => i.id);
        // Nobody sees a record they may not read, whatever else the page holds.
        if (!ids.includes(id)) return false;
        return true;
      }
      case 'update': {
        const { body } = await t.gql(`mutation { update${model}(input: { id: "${id}", text: "changed", _version: 1 }) { ${fields(model)} } }`, {}, h);
        if (body.data?.[`update${model}`]) {
          expect(body.data[`update${model}`]).toMatchObject({ text: 'changed', _version: 2 });
          return true;
        }
        await expectRefused(who, model, id, body.errors?.[0]);
        expect(await stored(model, id)).toMatchObject({ text: 'seed', _version: 1 });
        return false;
      }
      case 'delete': {
        const { body } = await t.gql(`mutation { delete${model}(input: { id: "${id}", _version: 1 }) { ${fields(model)} } }`, {}, h);
        if (body.data?.[`delete${model}`]) {
          expect(body.data[`delete${model}`]).toMatchObject({ _deleted: true, _version: 2 });
          return true;
        }
        await expectRefused(who, model, id, body.errors?.[0]);
        expect(await stored(model, id)).toMatchObject({ _version: 1, _deleted: false });
        return false;
      }
      case 'recreate': {
        const { body } = await t.gql(`mutation($input: Create${model}Input!) { create${model}(input: $input) { id } }`, { input: { id, text: 'again' } }, h);
        expect(body.data?.[`create${model}`] ?? null).toBeNull();
        const [error] = body.errors;
        expect(['ConditionalCheckFailedException', 'Unauthorized']).toContain(error.errorType);
        expect(await stored(model, id)).toMatchObject({ text: 'seed', _version: 1 });
        if (error.data === null) {
          expect(JSON.stringify(error)).not.toContain('seed');
          return false;
        }
        expect(error.data).toMatchObject({ id, text: 'seed', _version: 1 });
        return true;
      }
      case 'push': {
        const m = [{ mutationId: `push-${kind}-${++seq}`, model, operation: 'UPDATE', input: JSON.stringify({ id, text: 'pushed', _version: 1 }) }];
        const { body } = await t.gql('mutation($m: [OffgridMutationInput!]!) { pushMutations(mutations: $m) { record error { errorType message data } } }', { m }, h);
        expect(body.errors).toBeUndefined();
        const [result] = body.data.pushMutations;
        if (result.record) return true;
        await expectRefused(who, model, id, result.error);
        expect(await stored(model, id)).toMatchObject({ text: 'seed', _version: 1 });
        return false;
      }
    }
    throw new Error(`unknown op ${op}`);
  }

  it.each(MATRIX)('%s on %s: %s -> allowed=%s', async (who, model, op, allowed) => {
    expect(await attempt(who, model, op)).toBe(allowed);
  });

  it('owner rule: the owner field cannot be set to someone else on create, nor changed on update', async () => {
    const create = await t.gql('mutation { createNote(input: { id: "forged", text: "x", owner: "alice" }) { id owner } }', {}, headers.bob);
    expect(create.body.errors[0]).toMatchObject({ errorType: 'Unauthorized' });
    expect(await stored('Note', 'forged')).toBeNull();

    const id = await seed('Note');
    const transfer = await t.gql(`mutation { updateNote(input: { id: "${id}", owner: "bob", _version: 1 }) { id owner } }`, {}, headers.alice);
    expect(transfer.body.errors[0].errorType).toBe('Unauthorized');
    expect(transfer.body.errors[0].message).toMatch(/owner.*cannot be changed/);
    // Not even a group that may update the record can reassign it.
    const byAdmin = await t.gql(`mutation { updateNote(input: { id: "${id}", owner: "carol", _version: 1 }) { id owner } }`, {}, headers.admin);
    expect(byAdmin.body.errors[0].errorType).toBe('Unauthorized');
    // bob may not read alice's note: his attempt is answered as for a missing record.
    const steal = await t.gql(`mutation { updateNote(input: { id: "${id}", owner: "bob", _version: 1 }) { id owner } }`, {}, headers.bob);
    await expectRefused('bob', 'Note', id, steal.body.errors[0]);
    const pushSteal = await t.gql(
      'mutation($m: [OffgridMutationInput!]!) { pushMutations(mutations: $m) { error { errorType message data } } }',
      { m: [{ mutationId: `steal-${kind}`, model: 'Note', operation: 'UPDATE', input: JSON.stringify({ id, owner: 'bob', _version: 1 }) }] },
      headers.bob,
    );
    await expectRefused('bob', 'Note', id, pushSteal.body.data.pushMutations[0].error);
    expect(await stored('Note', id)).toMatchObject({ owner: 'alice', _version: 1 });
    // Re-sending the same owner is not a change.
    const same = await t.gql(`mutation { updateNote(input: { id: "${id}", owner: "alice", text: "same owner", _version: 1 }) { owner _version } }`, {}, headers.alice);
    expect(same.body.data.updateNote).toMatchObject({ owner: 'alice', _version: 2 });
  });

  it('a JWKS token signed by an unknown key, or naming an unknown kid, is refused', async () => {
    for (const token of [strangerRsaToken, await rsaToken('dave', 'other-kid')]) {
      const { status, body } = await t.gql('query { listTodos { items { id } } }', {}, { authorization: `Bearer ${token}` });
      expect(status).toBe(401);
      expect(body.errors[0]).toMatchObject({ errorType: 'UnauthorizedException' });
      expect(body.errors[0].message).toMatch(/signature|not in the JWKS/);
    }
  });
});

describe('owner transfer when allowOwnerTransfer is on', () => {

  it('lets the owner hand a record to someone else, who then owns it', async () => {
    const t = await startTestServer('sqlite', { schema: parseSchema(AUTH_SDL), conflicts: {}, allowOwnerTransfer: true });
    try {
      const alice = { authorization: `Bearer ${await signToken('alice')}` };
      const bob = { authorization: `Bearer ${await signToken('bob')}` };
      await t.gql('mutation { createNote(input: { id: "gift", text: "x" }) { id } }', {}, alice);
      const steal = await t.gql('mutation { updateNote(input: { id: "gift", owner: "bob", _version: 1 }) { owner } }', {}, bob);
      expect(steal.body.errors[0]).toMatchObject({ errorType: 'ConditionalCheckFailedException', data: null });
      const give = await t.gql('mutation { updateNote(input: { id: "gift", owner: "bob", _version: 1 }) { owner _version } }', {}, alice);
      expect(give.body.errors, JSON.stringify(give.body.errors)).toBeUndefined();
      expect(give.body.data.updateNote).toMatchObject({ owner: 'bob', _version: 2 });
      const read = await t.gql('query { getNote(id: "gift") { owner } }', {}, bob);
      expect(read.body.data.getNote.owner).toBe('bob');
    } finally {
      await t.close();
    }
  });
});

/** Refused credentials: each a 401 with UnauthorizedException and a message saying what is wrong. */
describe('authentication failures', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite', { schema: parseSchema(AUTH_SDL), conflicts: {} });
  });
  afterAll(async () => {
    await t.close();
  });

  const noneToken = () => `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'alice' })).toString('base64url')}.`;
  const cases: Array<[string, () => Promise<Record<string, string>>, RegExp]> = [
    ['expired token', async () => ({ authorization: `Bearer ${await signToken('alice', { expiresIn: '-1m' })}` }), /expired/],
    ['wrong signature', async () => ({ authorization: `Bearer ${await signToken('alice', { secret: 'another-secret-that-is-long-enough-too' })}` }), /signature/],
    ['tampered payload', async () => {
      const [h, , s] = (await signToken('alice')).split('.');
      return { authorization: `Bearer ${h}.${Buffer.from(JSON.stringify({ sub: 'root', exp: 9999999999 })).toString('base64url')}.${s}` };
    }, /signature/],
    ['missing sub', async () => ({ authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET))}` }), /"sub"/],
    ['alg none', async () => ({ authorization: `Bearer ${noneToken()}` }), /signed with none/],
    ['not a JWT', async () => ({ authorization: 'Bearer not-a-token' }), /not a JWT/],
    ['RS256 token on a server without a JWKS', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      return { authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setSubject('x').setExpirationTime('1h').sign(privateKey)}` };
    }, /HS256/],
    ['unknown API key', async () => ({ 'x-api-key': 'da2-unknown' }), /API key is not valid/],
    ['no credentials', async () => ({}), /No credentials/],
  ];

  it.each(cases)('%s -> 401', async (_name, make, message) => {
    const { status, body } = await t.gql('mutation { createTodo(input: { id: "never", text: "x" }) { id } }', {}, await make());
    expect(status).toBe(401);
    expect(body.data).toBeNull();
    expect(body.errors[0].errorType).toBe('UnauthorizedException');
    expect(body.errors[0].message).toMatch(message);
  });

  it('wrote nothing for any refused request', async () => {
    const { body } = await t.gql('query { getTodo(id: "never") { id } }', {}, { 'x-api-key': 'admin-key' });
    expect(body.data.getTodo).toBeNull();
  });
});

/** Claims that make a correctly signed token unacceptable, on every path that takes a token. */
describe('token claims', () => {
  let strict: TestServer;
  let lenient: TestServer;
  beforeAll(async () => {
    strict = await startTestServer('sqlite', { schema: parseSchema(AUTH_SDL), conflicts: {} });
    lenient = await startTestServer('sqlite', { schema: parseSchema(AUTH_SDL), conflicts: {}, auth: { apiKeys: [TEST_API_KEY], jwt: { secret: JWT_SECRET, allowTokensWithoutExp: true, clockSkewSeconds: 900 } } });
    attachAppSyncRealtime(strict.server, strict.schema);
  });
  afterAll(async () => {
    await strict.close();
    await lenient.close();
  });
  const key = new TextEncoder().encode(JWT_SECRET);
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const noExp = () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuedAt().sign(key);
  const issuedIn = (seconds: number) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuedAt(nowSeconds() + seconds).setExpirationTime(nowSeconds() + 7200).sign(key);
  const read = (t: TestServer, token: string) => t.gql('query { listTodos { items { id } } }', {}, { authorization: token });

  it('refuses a token without exp by default, over HTTP, graphql-ws and the real-time endpoint', async () => {
    const token = await noExp();
    const http = await read(strict, token);
    expect(http.status).toBe(401);
    expect(http.body.errors[0].message).toMatch(/no "exp" claim/);
    const ws = subscribe(wsClient(strict.url, { Authorization: token }), 'subscription { onCreateTodo { id } }');
    expect(((await ws.ended) as { code: number }).code).toBe(4403);
    const rt = await connectRealtime(strict.url, { Authorization: token });
    await rt.init();
    expect((await rt.waitFor((m) => m.type === 'connection_error')).payload.errors[0].message).toMatch(/no "exp" claim/);
  });

  it('accepts a token without exp when auth.jwt.allowTokensWithoutExp is set', async () => {
    expect((await read(lenient, await noExp())).status).toBe(200);
  });

  it('refuses a token issued further in the future than the clock skew, and accepts one within it', async () => {
    expect((await read(strict, await issuedIn(600))).body.errors[0].message).toMatch(/issued in the future/);
    expect((await read(strict, await issuedIn(30))).status).toBe(200);
    expect((await read(lenient, await issuedIn(600))).status).toBe(200);
  });
});
