import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataStore, MemoryAdapter, OnlineManager, type DataStore, type StorageAdapter, type SyncOptions } from '@offgrid/core';
import { parseSchema, type NormalizedSchema } from '@offgrid/schema';
import { createOffgridServer, PostgresRecordStore, SqliteRecordStore, type OffgridServer, type RecordStore, type ServerOptions } from '@offgrid/server';
import { Pool } from 'pg';
import { pino } from 'pino';
import WebSocket from 'ws';

export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASES: DatabaseKind[] = process.env.OFFGRID_SYNC_DATABASES ? (process.env.OFFGRID_SYNC_DATABASES.split(',') as DatabaseKind[]) : ['sqlite', 'postgres'];
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const API_KEY = 'sync-test-key';

export const SDL = /* GraphQL */ `
  type Todo @model {
    id: ID!
    title: String!
    done: Boolean
    priority: Int
    note: String
    tags: [String]
    listID: ID @index(name: "byList")
    list: TodoList @belongsTo(fields: ["listID"])
  }
  type TodoList @model {
    id: ID!
    name: String!
    todos: [Todo] @hasMany(indexName: "byList", fields: ["id"])
  }
  type Invoice @model {
    id: ID!
    amount: Int!
    memo: String
  }
`;

export type Models = { Todo: Record<string, any>; TodoList: Record<string, any>; Invoice: Record<string, any> };

export interface RunningServer {
  url: string;
  graphqlUrl: string;
  server: OffgridServer;
  schema: NormalizedSchema;
  gql(query: string, variables?: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
  /** Stops the server but keeps its database, to start it again with `restart()`. */
  restart(): Promise<void>;
}

/** Extra knobs of {@link startServer}: wrap the record store (to hold transactions open, count calls). */
export interface StartOptions extends Partial<ServerOptions> {
  wrapStore?: (store: RecordStore) => RecordStore;
}

/** A real sync server on loopback, on a temp SQLite file or a fresh PostgreSQL schema. */
export async function startServer(kind: DatabaseKind, startOptions: StartOptions = {}, port = 0): Promise<RunningServer> {
  const { wrapStore = (s: RecordStore) => s, ...options } = startOptions;
  const schema = options.schema ?? parseSchema(SDL);
  const dir = mkdtempSync(join(tmpdir(), 'offgrid-sync-'));
  const pgSchema = `offgrid_sync_${Math.random().toString(36).slice(2, 10)}`;
  const makeStore = () =>
    wrapStore(kind === 'sqlite' ? new SqliteRecordStore({ filename: join(dir, 'server.sqlite') }) : new PostgresRecordStore({ connectionString: DATABASE_URL, schema: pgSchema }));
  const boot = async (p: number) => {
    const server = await createOffgridServer({
      schema,
      store: makeStore(),
      auth: { apiKeys: [API_KEY] },
      logger: pino({ level: 'silent' }),
      conflicts: { Invoice: { strategy: 'OPTIMISTIC_CONCURRENCY' } },
      ...options,
    });
    const url = await server.listen(p);
    return { server, url };
  };
  let { server, url } = await boot(port);
  const running: RunningServer = {
    url,
    graphqlUrl: `${url}/graphql`,
    server,
    schema,
    async gql(query, variables = {}) {
      const res = await fetch(`${running.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify({ query, variables }) });
      return res.json();
    },
    async restart() {
      const port = Number(new URL(running.url).port);
      await running.server.close();
      ({ server, url } = await boot(port));
      running.server = server;
      running.url = url;
    },
    async close() {
      await running.server.close();
      rmSync(dir, { recursive: true, force: true });
      if (kind === 'postgres') {
        const pool = new Pool({ connectionString: DATABASE_URL, max: 1 });
        await pool.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`).finally(() => pool.end());
      }
    },
  };
  return running;
}

export interface TestClient {
  store: DataStore<Models>;
  online: OnlineManager;
  events: Array<{ event: string; data: any }>;
}

/** A real Offgrid client syncing with `url` (fast retries so tests do not wait long). */
export function createClient(url: string, options: { storage?: StorageAdapter; sync?: Partial<SyncOptions>; schema?: NormalizedSchema } = {}): TestClient {
  const online = new OnlineManager(undefined);
  const store = createDataStore<Models>({
    schema: options.schema ?? parseSchema(SDL),
    storage: options.storage ?? new MemoryAdapter(),
    sync: {
      url,
      auth: { apiKey: API_KEY },
      webSocketImpl: WebSocket,
      onlineManager: online,
      retry: { baseMs: 20, capMs: 200 },
      ...options.sync,
    },
  });
  const events: TestClient['events'] = [];
  store.events$.subscribe((e) => events.push(e as never));
  return { store, online, events };
}

/**
 * Clients a suite makes against one server, closed together after each test.
 *
 * @example
 * const clients = trackedClients(() => server.graphqlUrl)
 * afterEach(clients.closeAll)
 * const a = clients.create()
 */
export function trackedClients(url: () => string) {
  const open: TestClient[] = [];
  return {
    create(options?: Parameters<typeof createClient>[1]): TestClient {
      const c = createClient(url(), options);
      open.push(c);
      return c;
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.splice(0).map((c) => c.store.close()));
    },
  };
}

/** Polls until `check` passes (it may throw or return false meanwhile). */
export async function eventually(check: () => unknown | Promise<unknown>, timeoutMs = 10_000, label = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the store has synced and its outbox is empty. */
export async function settled(client: TestClient, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => {
    const pending = (await client.store.pendingMutations()).filter((e) => e.status !== 'rejected');
    return pending.length === 0 && client.store.isSynced('Todo');
  }, timeoutMs, 'the client to settle');
}

/** The server's live subscription count, from the `offgrid_subscriptions` gauge of `/metrics`. */
export async function serverSubscriptions(server: RunningServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^offgrid_subscriptions (\d+)/m.exec(text)?.[1] ?? NaN);
}

/** Every record of a model on the server, tombstones included (a full sync, all pages), by id. */
export async function serverRecords(server: RunningServer, model: 'Todo' | 'Invoice' | 'TodoList' = 'Todo'): Promise<Map<string, Record<string, any>>> {
  const fields = { Todo: 'id title done priority note tags listID', TodoList: 'id name', Invoice: 'id amount memo' }[model];
  const out = new Map<string, Record<string, any>>();
  let nextToken: string | null = null;
  do {
    const r: any = await server.gql(`query($t: String) { sync${model}s(limit: 1000, nextToken: $t) { items { ${fields} _version _deleted } nextToken } }`, { t: nextToken });
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    for (const item of r.data[`sync${model}s`].items) out.set(item.id, item);
    nextToken = r.data[`sync${model}s`].nextToken;
  } while (nextToken);
  return out;
}

/** Sleeps `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
