import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseSchema } from '@offgrid/schema';
import { createOffgridServer, PostgresRecordStore, SqliteRecordStore, type OffgridServer } from '@offgrid/server';
import { Pool } from 'pg';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCommand } from '../commands/import';
import { unmarshallItem } from './dynamodb-json';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const SDL = /* GraphQL */ `
  type Todo @model {
    id: ID!
    title: String!
    done: Boolean
    priority: Int
    tags: [String]
    meta: AWSJSON
    listID: ID @index(name: "byList")
    list: TodoList @belongsTo(fields: ["listID"])
  }
  type TodoList @model {
    id: ID!
    name: String!
    todos: [Todo] @hasMany(indexName: "byList", fields: ["id"])
  }
  type Note @model {
    id: ID!
    text: String!
  }
`;

/** A DynamoDB JSON export line, as DynamoDB's export to S3 writes it. */
function line(item: Record<string, unknown>): string {
  return JSON.stringify({ Item: item });
}
const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });
const meta = (version: number, lastChangedAt: number, deleted = false) => ({ _version: N(version), _lastChangedAt: N(lastChangedAt), _deleted: { BOOL: deleted } });
const NOW = Date.now();

function todo(id: string, title: unknown, version: number, extra: Record<string, unknown> = {}) {
  return {
    id: S(id),
    title: typeof title === 'string' ? S(title) : title,
    __typename: S('Todo'),
    createdAt: S('2024-01-01T00:00:00.000Z'),
    updatedAt: S('2024-01-02T00:00:00.000Z'),
    ...meta(version, NOW - 1000 * version),
    ...extra,
  };
}

/** An export as DynamoDB lays it out: manifest files plus data/*.json.gz, here one file plain and one gzipped. */
function writeExport(dir: string): void {
  const data = join(dir, 'AWSDynamoDB', '0170-export', 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(join(dir, 'AWSDynamoDB', '0170-export', 'manifest-summary.json'), JSON.stringify({ itemCount: 6, outputFormat: 'DYNAMODB_JSON' }));
  writeFileSync(
    join(data, 'a-part.json'),
    [
      line({ id: S('l1'), name: S('Groceries'), __typename: S('TodoList'), ...meta(2, NOW - 5000), createdAt: S('2024-01-01T00:00:00.000Z'), updatedAt: S('2024-01-01T00:00:00.000Z') }),
      line(todo('t1', 'Milk', 3, { done: { BOOL: false }, priority: N(2), listID: S('l1'), tags: { L: [S('dairy'), S('fresh')] } })),
      line(todo('t2', 'Bread', 1, { done: { NULL: true }, meta: { M: { aisle: N(4), organic: { BOOL: true } } } })),
      '',
      // A tombstone: Amplify keeps deleted records with _deleted and a _ttl.
      line(todo('t3', 'Eggs', 5, { _deleted: { BOOL: true }, _ttl: N(1_900_000_000) })),
    ].join('\n'),
  );
  writeFileSync(
    join(data, 'b-part.json.gz'),
    gzipSync([line(todo('t4', 'Butter', 7, { done: { BOOL: true }, priority: N(1) })), line({ id: S('l2'), name: S('Hardware'), __typename: S('TodoList'), ...meta(1, NOW - 9000) })].join('\n')),
  );
}

async function syncAll(url: string, model: string, fields: string, lastSync?: number) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'import-key' },
    body: JSON.stringify({ query: `query($l: AWSTimestamp) { sync${model}(limit: 1000, lastSync: $l) { items { ${fields} _version _deleted _lastChangedAt } nextToken startedAt } }`, variables: { l: lastSync ?? null } }),
  });
  const body = (await res.json()) as any;
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data[`sync${model}`] as { items: Array<Record<string, any>>; startedAt: number };
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'import-key' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as any;
}

describe('unmarshallItem', () => {
  it('turns every DynamoDB JSON type into plain JSON', () => {
    expect(
      unmarshallItem({ s: S('x'), n: N(1.5), b: { BOOL: true }, z: { NULL: true }, l: { L: [N(1), S('a')] }, m: { M: { k: S('v') } }, ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] } }),
    ).toEqual({ s: 'x', n: 1.5, b: true, z: null, l: [1, 'a'], m: { k: 'v' }, ss: ['a', 'b'], ns: [1, 2] });
    expect(() => unmarshallItem({ a: { M: { b: { N: 'x' } } } })).toThrow(/number/);
  });
});

describe('offgrid import --from dynamodb-json', () => {
  let dir: string;
  let db: string;
  let schemaFile: string;
  let exportDir: string;
  const servers: OffgridServer[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const run = (...args: string[]) => importCommand(['--schema', schemaFile, '--database', db, ...args], (l) => out.push(l), (l) => err.push(l));
  const start = async (database = db) => {
    const server = await createOffgridServer({
      schema: parseSchema(SDL),
      store: new SqliteRecordStore({ filename: database }),
      auth: { apiKeys: ['import-key'] },
      logger: pino({ level: 'silent' }),
    });
    servers.push(server);
    return { server, url: await server.listen(0, '127.0.0.1') };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'offgrid-import-'));
    db = join(dir, 'offgrid.sqlite');
    schemaFile = join(dir, 'schema.graphql');
    writeFileSync(schemaFile, SDL);
    exportDir = join(dir, 'export');
    writeExport(exportDir);
    out.length = 0;
    err.length = 0;
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports several models from plain and gzipped files, keeping versions, timestamps and tombstones; a server then syncs them', async () => {
    const { report, ok } = await run('--from', 'dynamodb-json', exportDir);
    expect(ok).toBe(true);
    expect(report).toMatchObject({ read: 6, inserted: 6, updated: 0, unchanged: 0, tombstones: 1, models: { Todo: 4, TodoList: 2 }, invalid: [] });
    expect(out.join('\n')).toMatch(/6 inserted/);

    const { url } = await start();
    const todos = await syncAll(url, 'Todos', 'id title done priority tags meta listID');
    const byId = Object.fromEntries(todos.items.map((t) => [t.id, t]));
    expect(Object.keys(byId).sort()).toEqual(['t1', 't2', 't3', 't4']);
    expect(byId.t1).toMatchObject({ title: 'Milk', done: false, priority: 2, tags: ['dairy', 'fresh'], listID: 'l1', _version: 3, _deleted: false, _lastChangedAt: NOW - 3000 });
    expect(JSON.parse(byId.t2!.meta)).toEqual({ aisle: 4, organic: true });
    expect(byId.t3).toMatchObject({ title: 'Eggs', _version: 5, _deleted: true });
    expect(byId.t4).toMatchObject({ title: 'Butter', _version: 7, done: true });
    const lists = await syncAll(url, 'TodoLists', 'id name');
    expect(lists.items.map((l) => [l.id, l._version]).sort()).toEqual([['l1', 2], ['l2', 1]]);
    // Tombstones stay tombstones: not readable through get/list.
    expect((await gql(url, '{ getTodo(id: "t3") { id } }')).data.getTodo).toBeNull();
  });

  it('is idempotent: a re-run changes nothing, an older export never lowers a version, a newer one updates', async () => {
    await run('--from', 'dynamodb-json', exportDir);
    const again = await run('--from', 'dynamodb-json', exportDir);
    expect(again.report).toMatchObject({ read: 6, inserted: 0, updated: 0, unchanged: 6 });

    const older = join(dir, 'older.json');
    writeFileSync(older, [line(todo('t1', 'Milk (old)', 2)), line(todo('t4', 'Butter (new)', 8)), line(todo('t3', 'Eggs back', 6))].join('\n'));
    const mixed = await run('--from', 'dynamodb-json', older);
    expect(mixed.report).toMatchObject({ inserted: 0, updated: 2, unchanged: 1 });

    const { url } = await start();
    const byId = Object.fromEntries((await syncAll(url, 'Todos', 'id title')).items.map((t) => [t.id, t]));
    expect(Object.keys(byId)).toHaveLength(4);
    expect(byId.t1).toMatchObject({ title: 'Milk', _version: 3 });
    expect(byId.t4).toMatchObject({ title: 'Butter (new)', _version: 8 });
    expect(byId.t3).toMatchObject({ title: 'Eggs back', _version: 6, _deleted: false });
  });

  it('reports a bad record with its file, line and field, and writes nothing of its batch; --skip-invalid skips it', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, [line(todo('b1', 'Fine', 1)), line({ id: S('n1'), text: S('no typename'), ...meta(1, NOW) }), line(todo('b2', { N: '42' }, 1)), line(todo('b3', 'Also fine', 2))].join('\n'));
    const failed = await run('--from', 'dynamodb-json', bad);
    expect(failed.ok).toBe(false);
    const message = err.join('\n');
    expect(message).toContain('bad.json:2: no __typename attribute: pass --model');
    expect(message).toMatch(/bad\.json:3: Todo\.title: expected a string/);
    expect(message).toMatch(/nothing of their batch was written/);
    const { server, url } = await start();
    expect((await syncAll(url, 'Todos', 'id')).items).toHaveLength(0);
    await server.close();
    servers.length = 0;

    err.length = 0;
    const skipped = await run('--from', 'dynamodb-json', bad, '--skip-invalid');
    expect(skipped.ok).toBe(true);
    expect(skipped.report).toMatchObject({ inserted: 2, invalid: [{ line: 2 }, { line: 3, model: 'Todo', field: 'title' }] });
    expect(err.join('\n')).toMatch(/skipped \S*bad\.json:3: Todo\.title/);

    // --model names the model of items without __typename.
    const notes = join(dir, 'notes.json');
    writeFileSync(notes, line({ id: S('n1'), text: S('from a one-table export'), ...meta(4, NOW) }));
    expect((await run('--from', 'dynamodb-json', notes, '--model', 'Note')).report).toMatchObject({ inserted: 1, models: { Note: 1 } });
    const { url: url2 } = await start();
    expect((await syncAll(url2, 'Notes', 'id text')).items).toMatchObject([{ id: 'n1', _version: 4 }]);
  });

  it('keeps working after the import: clients update from the imported version, and delta sync picks up later imports', async () => {
    await run('--from', 'dynamodb-json', exportDir);
    let running = await start();
    const first = await syncAll(running.url, 'Todos', 'id title');
    expect(first.items).toHaveLength(4);

    // An Amplify client's edit carries the _version it read: it lands on the imported version.
    const updated = await gql(running.url, 'mutation { updateTodo(input: { id: "t1", title: "Oat milk", _version: 3 }) { id title _version } }');
    expect(updated.data.updateTodo).toMatchObject({ title: 'Oat milk', _version: 4 });
    const delta = await syncAll(running.url, 'Todos', 'id title', first.startedAt);
    expect(delta.items.map((t) => [t.id, t._version])).toEqual([['t1', 4]]);

    // A later import (say, records written to DynamoDB after the first export) reaches clients as a delta.
    await running.server.close();
    servers.length = 0;
    const later = join(dir, 'later.json.gz');
    writeFileSync(later, gzipSync([line(todo('t5', 'Jam', 2)), line(todo('t2', 'Rye bread', 2)), line(todo('t4', 'Butter', 7))].join('\n')));
    expect((await run('--from', 'dynamodb-json', later)).report).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
    running = await start();
    const delta2 = await syncAll(running.url, 'Todos', 'id title', delta.startedAt);
    expect(delta2.items.map((t) => [t.id, t.title, t._version]).sort()).toEqual([
      ['t2', 'Rye bread', 2],
      ['t5', 'Jam', 2],
    ]);
  });

  it('imports into PostgreSQL (--database postgres://... --pg-schema)', async () => {
    const pgSchema = `offgrid_import_${Math.random().toString(36).slice(2, 10)}`;
    try {
      const { report } = await importCommand(['--schema', schemaFile, '--database', DATABASE_URL, '--pg-schema', pgSchema, '--from', 'dynamodb-json', exportDir], () => {}, () => {});
      expect(report).toMatchObject({ inserted: 6, tombstones: 1 });
      const again = await importCommand(['--schema', schemaFile, '--database', DATABASE_URL, '--pg-schema', pgSchema, '--from', 'dynamodb-json', exportDir], () => {}, () => {});
      expect(again.report).toMatchObject({ inserted: 0, unchanged: 6 });
      const server = await createOffgridServer({
        schema: parseSchema(SDL),
        store: new PostgresRecordStore({ connectionString: DATABASE_URL, schema: pgSchema }),
        auth: { apiKeys: ['import-key'] },
        logger: pino({ level: 'silent' }),
      });
      servers.push(server);
      const url = await server.listen(0, '127.0.0.1');
      const todos = await syncAll(url, 'Todos', 'id');
      expect(todos.items.map((t) => [t.id, t._version, t._deleted]).sort()).toEqual([
        ['t1', 3, false],
        ['t2', 1, false],
        ['t3', 5, true],
        ['t4', 7, false],
      ]);
    } finally {
      const pool = new Pool({ connectionString: DATABASE_URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`).finally(() => pool.end());
    }
  });
});

