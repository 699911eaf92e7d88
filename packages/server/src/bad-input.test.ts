import { parseSchema } from '@offgrid/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { DATABASES, JWT_SECRET, startTestServer, TEST_API_KEY, type TestServer } from './test-support/test-server';
import { signToken } from './test-support/tokens';

const BAD_INPUT_SDL = /* GraphQL */ `
  type Todo @model {
    id: ID!
    title: String!
    priority: Int
  }
  type Contact @model {
    id: ID!
    name: String!
    email: AWSEmail
    born: AWSDateTime
    site: AWSURL
    address: Address
    level: Level
    tags: [String]
    meta: AWSJSON
  }
  type Address {
    street: String
  }
  enum Level {
    LOW
    HIGH
  }
`;

const ADMIN = { 'x-api-key': 'admin-key' };
const KEY = { 'x-api-key': TEST_API_KEY };
const CREATE_TODO = 'mutation($input: CreateTodoInput!) { createTodo(input: $input) { id title priority } }';
const CREATE_CONTACT = 'mutation($input: CreateContactInput!) { createContact(input: $input) { id } }';
const PUSH = 'mutation($m: [OffgridMutationInput!]!) { pushMutations(mutations: $m) { mutationId record error { errorType message } } }';
const INJECTIONS = ["' OR 1=1 --", '"; DROP TABLE records; --', "x'); DELETE FROM records; --", '%', '_', '\\'];

/** A request: a raw body (sent as is) or a GraphQL request (JSON-encoded), with optional headers. */
type Send = { raw: string; headers?: Record<string, string> } | { query: string; variables?: unknown; operationName?: string; headers?: Record<string, string> };

interface Row {
  name: string;
  send: Send | (() => Promise<Send>);
  status: number;
  errorType: string;
  message: RegExp;
}

const push = (m: Record<string, unknown>): Send => ({ query: PUSH, variables: { m: [{ mutationId: `bad-${Math.random()}`, model: 'Todo', operation: 'CREATE', ...m }] } });

/** Each bad request, the status and errorType it gets, and what the message must say. */
const ROWS: Row[] = [
  { name: 'malformed JSON', send: { raw: '{"query": "query { listTodos { items { id } } }"' }, status: 400, errorType: 'BadRequest', message: /not a JSON object/ },
  { name: 'empty body', send: { raw: '' }, status: 400, errorType: 'BadRequest', message: /not a JSON object/ },
  { name: 'a JSON array (batched queries)', send: { raw: '[{"query":"query { listTodos { items { id } } }"}]' }, status: 400, errorType: 'BadRequest', message: /not a JSON object/ },
  { name: 'a JSON string', send: { raw: '"query { listTodos { items { id } } }"' }, status: 400, errorType: 'BadRequest', message: /not a JSON object/ },
  { name: 'JSON null', send: { raw: 'null' }, status: 400, errorType: 'BadRequest', message: /not a JSON object/ },
  { name: 'missing query', send: { raw: '{"variables": {}}' }, status: 400, errorType: 'BadRequest', message: /no "query" string/ },
  { name: 'query not a string', send: { raw: '{"query": 42}' }, status: 400, errorType: 'BadRequest', message: /no "query" string/ },
  { name: 'variables not an object', send: { query: CREATE_TODO, variables: [1, 2] }, status: 400, errorType: 'BadRequest', message: /"variables" must be a JSON object/ },
  { name: 'GraphQL syntax error', send: { query: 'mutation { createTodo(input: { id: "s" ' }, status: 400, errorType: 'BadRequest', message: /Syntax Error/ },
  { name: 'unknown operationName', send: { query: 'query a { listTodos { items { id } } }', operationName: 'b' }, status: 200, errorType: 'BadRequest', message: /Unknown operation named "b"/ },
  { name: 'unknown field selected', send: { query: 'query { listTodos { items { id colour } } }' }, status: 400, errorType: 'BadRequest', message: /Cannot query field "colour"/ },
  { name: 'wrong variable type (limit)', send: { query: 'query($l: Int) { listTodos(limit: $l) { items { id } } }', variables: { l: 'ten' } }, status: 200, errorType: 'BadRequest', message: /Int cannot represent/ },
  { name: 'variable of an undeclared input type', send: { query: 'mutation($input: Nope!) { createTodo(input: $input) { id } }', variables: { input: {} } }, status: 400, errorType: 'BadRequest', message: /Unknown type "Nope"/ },
  { name: 'unknown field in input (variables)', send: { query: CREATE_TODO, variables: { input: { id: 'u1', title: 'x', colour: 'red' } } }, status: 200, errorType: 'BadRequest', message: /Field "colour" is not defined by type "CreateTodoInput"/ },
  { name: 'unknown field in input (literal)', send: { query: 'mutation { createTodo(input: { id: "u2", title: "x", colour: "red" }) { id } }' }, status: 400, errorType: 'BadRequest', message: /Field "colour" is not defined/ },
  { name: 'wrong field type (variables)', send: { query: CREATE_TODO, variables: { input: { id: 'w1', title: 42 } } }, status: 200, errorType: 'BadRequest', message: /String cannot represent a non string value/ },
  { name: 'wrong field type (literal)', send: { query: 'mutation { createTodo(input: { id: "w2", title: "x", priority: "high" }) { id } }' }, status: 400, errorType: 'BadRequest', message: /Int cannot represent/ },
  { name: 'Int out of range', send: { query: CREATE_TODO, variables: { input: { id: 'w3', title: 'x', priority: 2 ** 40 } } }, status: 200, errorType: 'BadRequest', message: /Int cannot represent non 32-bit signed integer/ },
  { name: 'missing required field', send: { query: CREATE_TODO, variables: { input: { id: 'w4' } } }, status: 200, errorType: 'BadRequest', message: /Field "title" of required type "String!" was not provided/ },
  { name: 'null for a required field', send: { query: CREATE_TODO, variables: { input: { id: 'w5', title: null } } }, status: 200, errorType: 'BadRequest', message: /title.*null|non-null/i },
  { name: '_version not an integer', send: { query: 'mutation { updateTodo(input: { id: "seed-1", title: "x", _version: "one" }) { id } }' }, status: 400, errorType: 'BadRequest', message: /Int cannot represent/ },
  { name: '_lastChangedAt in input', send: { query: CREATE_TODO, variables: { input: { id: 'm1', title: 'x', _lastChangedAt: 1 } } }, status: 200, errorType: 'BadRequest', message: /"_lastChangedAt" is not defined/ },
  { name: '_deleted in input', send: { query: 'mutation { updateTodo(input: { id: "seed-1", _deleted: true, _version: 1 }) { id } }' }, status: 400, errorType: 'BadRequest', message: /"_deleted" is not defined/ },
  { name: 'createdAt in input', send: { query: 'mutation { updateTodo(input: { id: "seed-1", createdAt: "2000-01-01T00:00:00.000Z", _version: 1 }) { id } }' }, status: 400, errorType: 'BadRequest', message: /"createdAt" is not defined/ },
  { name: 'filter on an unknown field', send: { query: 'query { listTodos(filter: { colour: { eq: "red" } }) { items { id } } }' }, status: 400, errorType: 'BadRequest', message: /Field "colour" is not defined by type "ModelTodoFilterInput"/ },
  { name: 'filter with a wrong operand type', send: { query: 'query($f: ModelTodoFilterInput) { listTodos(filter: $f) { items { id } } }', variables: { f: { priority: { gt: 'high' } } } }, status: 200, errorType: 'BadRequest', message: /Int cannot represent/ },
  { name: 'oversized payload', send: { query: CREATE_TODO, variables: { input: { id: 'big', title: 'x'.repeat(1_100_000) } } }, status: 413, errorType: 'LimitExceeded', message: /exceeds the limit of 1048576 bytes/ },
  { name: 'bad token', send: { query: CREATE_TODO, variables: { input: { id: 'tok1', title: 'x' } }, headers: { authorization: 'Bearer abc.def.ghi' } }, status: 401, errorType: 'UnauthorizedException', message: /not a JWT|not valid/ },
  {
    name: 'expired token',
    send: async () => ({ query: CREATE_TODO, variables: { input: { id: 'tok2', title: 'x' } }, headers: { authorization: `Bearer ${await signToken('alice', { expiresIn: '-5m' })}` } }),
    status: 401,
    errorType: 'UnauthorizedException',
    message: /expired/,
  },
  { name: 'unknown API key', send: { query: CREATE_TODO, variables: { input: { id: 'tok3', title: 'x' } }, headers: { 'x-api-key': "' OR 1=1 --" } }, status: 401, errorType: 'UnauthorizedException', message: /API key is not valid/ },
  { name: 'garbage nextToken', send: { query: "query { syncTodos(nextToken: \"' OR 1=1 --\") { items { id } } }" }, status: 200, errorType: 'BadRequest', message: /Invalid nextToken for Todo/ },
  { name: 'forged nextToken (valid base64 JSON)', send: { query: `query { listTodos(nextToken: "${Buffer.from(JSON.stringify(['Todo', 'x', 1, 1, 0])).toString('base64url')}") { items { id } } }` }, status: 200, errorType: 'BadRequest', message: /Invalid nextToken/ },
  { name: 'lastSync not a timestamp', send: { query: 'query($s: AWSTimestamp) { syncTodos(lastSync: $s) { items { id } } }', variables: { s: "1; DROP TABLE records" } }, status: 200, errorType: 'BadRequest', message: /Expected an integer/ },
  { name: 'pushMutations: unknown operation', send: push({ operation: 'UPSERT', input: '{"id":"pm2","title":"x"}' }), status: 200, errorType: 'BadRequest', message: /"UPSERT" does not exist in "OffgridOperation"/ },
  { name: 'pushMutations: input not JSON', send: push({ input: '{"id": "pm3", ' }), status: 200, errorType: 'BadRequest', message: /Expected a JSON string \(AWSJSON/ },
  { name: 'pushMutations: condition not JSON', send: push({ input: '{"id":"pm4","title":"x"}', condition: 'nope' }), status: 200, errorType: 'BadRequest', message: /Expected a JSON string \(AWSJSON/ },
  { name: 'pushMutations: mutations not a list of objects', send: { query: PUSH, variables: { m: 'all of them' } }, status: 200, errorType: 'BadRequest', message: /OffgridMutationInput/ },
  { name: 'a subscription over HTTP POST', send: { query: 'subscription { onCreateTodo { id } }' }, status: 400, errorType: 'BadRequest', message: /Subscriptions are not served over HTTP POST: subscribe over WebSocket/ },
  {
    name: 'a token without exp',
    send: async () => ({
      query: CREATE_TODO,
      variables: { input: { id: 'tok4', title: 'x' } },
      headers: { authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuedAt().sign(new TextEncoder().encode(JWT_SECRET))}` },
    }),
    status: 401,
    errorType: 'UnauthorizedException',
    message: /no "exp" claim; issue tokens that expire \(or set auth\.jwt\.allowTokensWithoutExp\)/,
  },
  {
    name: 'a token issued in the future',
    send: async () => ({
      query: CREATE_TODO,
      variables: { input: { id: 'tok5', title: 'x' } },
      headers: { authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuedAt(Math.floor(Date.now() / 1000) + 600).setExpirationTime('2h').sign(new TextEncoder().encode(JWT_SECRET))}` },
    }),
    status: 401,
    errorType: 'UnauthorizedException',
    message: /issued in the future .* more than 60 s ahead .*auth\.jwt\.clockSkewSeconds/,
  },
  { name: 'deeply nested filter', send: { query: 'query($f: ModelTodoFilterInput) { listTodos(filter: $f) { items { id } } }', variables: { f: nest(3000) } }, status: 400, errorType: 'BadRequest', message: /nest objects or lists more than 64 levels deep/ },
  { name: 'deeply nested filter literal', send: { query: `query { listTodos(filter: ${'{ not: '.repeat(5000)}{ title: { eq: "x" } }${' }'.repeat(5000)}) { items { id } } }` }, status: 400, errorType: 'BadRequest', message: /nests brackets \d+ levels deep; the limit is 64/ },
];

/** A filter `{ not: { not: ... } }` nested `depth` times. */
function nest(depth: number): unknown {
  let f: unknown = { title: { eq: 'x' } };
  for (let i = 0; i < depth; i++) f = { not: f };
  return f;
}

/** Property names every plain object has; input naming one must find nothing. */
const PROTOTYPE_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

/** Per-mutation refusals inside a pushMutations call: the call succeeds, each bad mutation gets its own error. */
const PUSH_ROWS: Array<{ name: string; mutation: Record<string, unknown>; errorType: string; message: RegExp }> = [
  { name: 'input is a JSON array', mutation: { input: '[1,2]' }, errorType: 'BadRequest', message: /input must be an object/ },
  { name: 'unknown field', mutation: { input: '{"id":"pp1","title":"x","colour":"red"}' }, errorType: 'ValidationError', message: /Todo\.colour: unknown field/ },
  { name: 'wrong field type', mutation: { input: '{"id":"pp2","title":{"$ne":null}}' }, errorType: 'ValidationError', message: /Todo\.title: expected a string/ },
  { name: '_lastChangedAt', mutation: { input: '{"id":"pp3","title":"x","_lastChangedAt":1}' }, errorType: 'ValidationError', message: /_lastChangedAt is managed by the server/ },
  { name: '_deleted', mutation: { input: '{"id":"seed-1","_deleted":true,"_version":1}', operation: 'UPDATE' }, errorType: 'ValidationError', message: /_deleted is managed by the server/ },
  { name: 'updatedAt', mutation: { input: '{"id":"seed-1","updatedAt":"2000-01-01T00:00:00.000Z","_version":1}', operation: 'UPDATE' }, errorType: 'ValidationError', message: /updatedAt is set by the server/ },
  { name: '_version not an integer', mutation: { input: '{"id":"seed-1","title":"y","_version":"1"}', operation: 'UPDATE' }, errorType: 'ValidationError', message: /_version must be an integer/ },
  { name: 'invalid AWSEmail', mutation: { model: 'Contact', input: '{"id":"pc1","name":"x","email":"not-an-email"}' }, errorType: 'ValidationError', message: /Contact\.email: expected an email address/ },
  { name: 'invalid AWSDateTime', mutation: { model: 'Contact', input: '{"id":"pc2","name":"x","born":"yesterday"}' }, errorType: 'ValidationError', message: /Contact\.born: expected an AWSDateTime/ },
  { name: 'update of an injected id', mutation: { operation: 'UPDATE', input: JSON.stringify({ id: "seed-1' OR '1'='1", title: 'pwned', _version: 1 }) }, errorType: 'ConditionalCheckFailedException', message: /conditional request failed/ },
  { name: 'unknown model', mutation: { model: 'Nope', input: '{"id":"pm1","title":"x"}' }, errorType: 'BadRequest', message: /mutations\[0\]\.model: unknown model "Nope"/ },
  // Names every plain object answers through its prototype: each is just an unknown name.
  ...PROTOTYPE_NAMES.flatMap((name) => [
    { name: `model named ${name}`, mutation: { model: name, input: '{"id":"pm-proto","title":"x"}' }, errorType: 'BadRequest', message: new RegExp(`unknown model "${name}"`) },
    { name: `input field named ${name}`, mutation: { input: `{"id":"pf-proto","title":"x","${name}":{"title":"polluted"}}` }, errorType: 'ValidationError', message: new RegExp(`Todo\\.${name}: unknown field`) },
    { name: `update input field named ${name}`, mutation: { operation: 'UPDATE', input: `{"id":"seed-1","${name}":"x","_version":1}` }, errorType: 'ValidationError', message: new RegExp(`Todo\\.${name}: unknown field`) },
    { name: `condition on a field named ${name}`, mutation: { operation: 'UPDATE', input: '{"id":"seed-1","title":"y","_version":1}', condition: `{"${name}":{"eq":1}}` }, errorType: 'BadRequest', message: new RegExp(`condition\\.${name}: Todo has no field "${name}"`) },
    { name: `condition operator ${name}`, mutation: { operation: 'UPDATE', input: '{"id":"seed-1","title":"y","_version":1}', condition: `{"title":{"${name}":"y"}}` }, errorType: 'BadRequest', message: /unsupported operator/ },
    { name: `embedded field named ${name}`, mutation: { model: 'Contact', input: `{"id":"pe-proto","name":"x","address":{"street":"a","${name}":"x"}}` }, errorType: 'ValidationError', message: new RegExp(`Contact\\.address\\.${name}: not a field of Address`) },
    { name: `enum value ${name}`, mutation: { model: 'Contact', input: `{"id":"pv-proto","name":"x","level":"${name}"}` }, errorType: 'ValidationError', message: /Contact\.level: expected one of Level/ },
  ]),
  { name: 'injection in a condition', mutation: { operation: 'UPDATE', input: '{"id":"seed-1","title":"pwned","_version":1}', condition: JSON.stringify({ title: { eq: "' OR '1'='1" } }) }, errorType: 'ConditionalCheckFailedException', message: /conditional request failed/ },
];

async function send(t: TestServer, s: Send): Promise<{ status: number; body: any }> {
  const headers = { 'content-type': 'application/json', ...KEY, ...s.headers };
  const body = 'raw' in s ? s.raw : JSON.stringify({ query: s.query, variables: s.variables, operationName: s.operationName });
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}

describe.each(DATABASES)('bad input on %s', (kind) => {
  let t: TestServer;
  let before: unknown;
  let startedAt: number;

  /** Everything the server holds, read with the admin key: live records and a full sync of each model. */
  async function snapshot() {
    const out: Record<string, unknown> = {};
    for (const model of ['Todo', 'Contact']) {
      const list = await t.gql(`query { list${model}s(limit: 1000) { items { id _version _deleted _lastChangedAt } } }`, {}, ADMIN);
      const sync = await t.gql(`query { sync${model}s(limit: 1000) { items { id _version _deleted _lastChangedAt } } }`, {}, ADMIN);
      out[model] = { list: list.body.data[`list${model}s`].items, sync: sync.body.data[`sync${model}s`].items };
    }
    return out;
  }

  beforeAll(async () => {
    t = await startTestServer(kind, { schema: parseSchema(BAD_INPUT_SDL), conflicts: {} });
    for (let i = 1; i <= 3; i++) await t.gql(CREATE_TODO, { input: { id: `seed-${i}`, title: `seed ${i}`, priority: i } });
    await t.gql(CREATE_CONTACT, { input: { id: 'c-1', name: 'Ada', email: 'ada@example.com', born: '1815-12-10T00:00:00.000Z' } });
    before = await snapshot();
    const { body } = await t.gql('query { syncTodos { startedAt } }', {}, ADMIN);
    startedAt = body.data.syncTodos.startedAt;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(ROWS)('$name -> $status $errorType', async (row) => {
    const s = typeof row.send === 'function' ? await row.send() : row.send;
    const { status, body } = await send(t, s);
    expect(status).toBe(row.status);
    expect(body.errors?.length).toBeGreaterThan(0);
    expect(body.errors[0]).toMatchObject({ errorType: row.errorType });
    expect(body.errors[0].message).toMatch(row.message);
    expect(body.data ?? null).toSatisfy((d: any) => d === null || Object.values(d).every((v) => v === null));
  });

  it.each(PUSH_ROWS)('pushMutations: $name -> $errorType for that mutation', async (row) => {
    const { body } = await send(t, { query: PUSH, variables: { m: [{ mutationId: `pr-${kind}-${row.name}`, model: 'Todo', operation: 'CREATE', ...row.mutation }] } });
    expect(body.errors).toBeUndefined();
    const [result] = body.data.pushMutations;
    expect(result.record).toBeNull();
    expect(result.error.errorType).toBe(row.errorType);
    expect(result.error.message).toMatch(row.message);
  });

  it.each(PUSH_ROWS)('pushMutations: $name, batched between two good changes, refuses only that one', async (row) => {
    const good = (i: number) => ({ mutationId: `ok-${kind}-${row.name}-${i}`, model: 'Todo', operation: 'UPDATE', input: JSON.stringify({ id: 'seed-2', title: 'seed 2', _version: 1 }) });
    const bad = { mutationId: `pb-${kind}-${row.name}`, model: 'Todo', operation: 'CREATE', ...row.mutation };
    const { body } = await send(t, { query: PUSH, variables: { m: [good(1), bad, good(2)] } });
    expect(body.errors).toBeUndefined();
    const [first, refused, last] = body.data.pushMutations;
    expect(refused).toMatchObject({ mutationId: bad.mutationId, record: null, error: { errorType: row.errorType } });
    // Re-sending seed 2's own title changes nothing, so the database stays as seeded.
    expect(JSON.parse(first.record)).toMatchObject({ id: 'seed-2', _version: 1 });
    expect(JSON.parse(last.record)).toMatchObject({ id: 'seed-2', _version: 1 });
  });

  it.each([
    ['AWSEmail', { email: 'not-an-email' }, /Expected an email address/],
    ['AWSEmail (a number)', { email: 42 }, /Expected AWSEmail as a string/],
    ['AWSDateTime (words)', { born: 'yesterday' }, /Expected an AWSDateTime/],
    ['AWSDateTime (no zone)', { born: '2020-01-01T00:00:00' }, /Expected an AWSDateTime/],
    ['AWSDateTime (impossible date)', { born: '2020-13-45T00:00:00.000Z' }, /Expected an AWSDateTime/],
    ['AWSURL', { site: 'javascript:alert(1)' }, /Expected an absolute URL with a scheme \(AWSURL\)/],
  ])('invalid %s in variables -> a clear coercion error', async (_name, fields, message) => {
    const { body } = await t.gql(CREATE_CONTACT, { input: { id: `bad-contact-${_name}`, name: 'x', ...fields } });
    expect(body.data).toBeNull();
    expect(body.errors[0].errorType).toBe('BadRequest');
    expect(body.errors[0].message).toMatch(message);
  });

  const deepJson = (levels: number) => JSON.stringify(JSON.parse(`${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`));
  it.each([
    ['an id longer than limits.maxIdLength', { id: 'i'.repeat(1025) }, /Contact\.id is 1025 characters long; the limit for an ID is 1024 \(limits\.maxIdLength\)/],
    ['a list longer than limits.maxListLength', { tags: Array.from({ length: 10_001 }, () => 't') }, /Contact\.tags has 10001 items; the limit for a list is 10000 \(limits\.maxListLength\)/],
    ['AWSJSON nested deeper than limits.maxJsonDepth', { meta: deepJson(33) }, /Contact\.meta nests objects or arrays more than 32 levels deep \(limits\.maxJsonDepth\)/],
  ])('%s is refused with the limit named, over HTTP and pushMutations, and nothing is written', async (_name, fields, message) => {
    const id = `size-${_name.length}`;
    const input = { id, name: 'x', ...fields };
    const { body } = await t.gql(CREATE_CONTACT, { input });
    expect(body.errors[0].errorType).toBe('ValidationError');
    expect(body.errors[0].message).toMatch(message);
    const pushed = await t.gql(PUSH, { m: [{ mutationId: `size-${Math.random()}`, model: 'Contact', operation: 'CREATE', input: JSON.stringify(input) }] }, ADMIN);
    expect(pushed.body.data.pushMutations[0].error.errorType).toBe('ValidationError');
    expect(pushed.body.data.pushMutations[0].error.message).toMatch(message);
    const read = await t.gql(`query { getContact(id: ${JSON.stringify(input.id)}) { id } }`, {}, ADMIN);
    expect(read.body.data.getContact).toBeNull();
  });

  it('invalid AWS scalars in query literals are refused before running', async () => {
    const { status, body } = await t.gql('mutation { createContact(input: { id: "lit", name: "x", email: "nope", born: "tomorrow" }) { id } }');
    expect(status).toBe(400);
    expect(body.errors.map((e: any) => e.message).join(' ')).toMatch(/Expected an email address.*Expected an AWSDateTime/s);
  });

  it.each(INJECTIONS)('treats %j as data in filters, ids and conditions', async (evil) => {
    const filtered = await t.gql('query($f: ModelTodoFilterInput) { listTodos(filter: $f) { items { id } } }', { f: { title: { eq: evil } } });
    expect(filtered.body.data.listTodos.items).toEqual([]);
    const prefix = await t.gql('query($f: ModelTodoFilterInput) { syncTodos(filter: $f) { items { id } } }', { f: { title: { beginsWith: evil } } });
    expect(prefix.body.data.syncTodos.items).toEqual([]);
    const get = await t.gql('query($id: ID!) { getTodo(id: $id) { id } }', { id: evil });
    expect(get.body.data.getTodo).toBeNull();
    const upd = await t.gql('mutation($input: UpdateTodoInput!) { updateTodo(input: $input) { id } }', { input: { id: evil, title: 'pwned', _version: 1 } });
    expect(upd.body.errors[0].errorType).toBe('ConditionalCheckFailedException');
    const del = await t.gql('mutation($input: DeleteTodoInput!) { deleteTodo(input: $input) { id } }', { input: { id: `seed-1${evil}` } });
    expect(del.body.errors[0].errorType).toBe('ConditionalCheckFailedException');
    const cond = await t.gql('mutation($input: UpdateTodoInput!, $c: ModelTodoConditionInput) { updateTodo(input: $input, condition: $c) { id } }', {
      input: { id: 'seed-1', title: 'pwned', _version: 1 },
      c: { title: { eq: evil } },
    });
    expect(cond.body.errors[0].errorType).toBe('ConditionalCheckFailedException');
  });

  it('nothing above changed the database', async () => {
    expect(await snapshot()).toEqual(before);
    const delta = await t.gql('query($s: AWSTimestamp) { syncTodos(lastSync: $s) { items { id } isFullSync } }', { s: startedAt }, ADMIN);
    expect(delta.body.data.syncTodos).toEqual({ items: [], isFullSync: false });
    const contacts = await t.gql('query($s: AWSTimestamp) { syncContacts(lastSync: $s) { items { id } } }', { s: startedAt }, ADMIN);
    expect(contacts.body.data.syncContacts.items).toEqual([]);
  });

  // After the check above: this one writes.
  it('values at the size limits are accepted', async () => {
    const input = { id: 'j'.repeat(1024), name: 'x', tags: Array.from({ length: 10_000 }, () => 't'), meta: deepJson(32) };
    const { body } = await t.gql(CREATE_CONTACT, { input });
    expect(body.errors).toBeUndefined();
    expect(body.data.createContact.id).toBe(input.id);
  });

  it('stores injection strings as plain values and reads them back unchanged', async () => {
    for (const [i, evil] of INJECTIONS.entries()) {
      const { body } = await t.gql(CREATE_TODO, { input: { id: `evil-${i}${evil}`, title: evil } });
      expect(body.data.createTodo).toEqual({ id: `evil-${i}${evil}`, title: evil, priority: null });
      const back = await t.gql('query($id: ID!) { getTodo(id: $id) { title } }', { id: `evil-${i}${evil}` });
      expect(back.body.data.getTodo.title).toBe(evil);
    }
    const { body } = await t.gql('query($f: ModelTodoFilterInput) { listTodos(filter: $f, limit: 1000) { items { id } } }', { f: { title: { eq: "' OR 1=1 --" } } });
    expect(body.data.listTodos.items).toHaveLength(1);
    const seeds = await t.gql('query { listTodos(limit: 1000, filter: { title: { beginsWith: "seed" } }) { items { id title } } }');
    expect(seeds.body.data.listTodos.items.map((i: any) => i.id).sort()).toEqual(['seed-1', 'seed-2', 'seed-3']);
  });
});
