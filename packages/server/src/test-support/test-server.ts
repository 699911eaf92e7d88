import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSchema, type NormalizedSchema } from '@offgrid/schema';
import { pino } from 'pino';
import { createOffgridServer, type OffgridServer } from '../offgrid-server';
import type { ServerOptions } from '../server-options';
import { Pool } from 'pg';
import { createTestPostgresStore, TEST_DATABASE_URL, testSchemaName } from '../store/postgres-test-support';
import type { RecordStore } from '../store/record-store';
import { SqliteRecordStore } from '../store/sqlite-record-store';

export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASES: DatabaseKind[] = ['sqlite', 'postgres'];

export const TEST_SDL = /* GraphQL */ `
  type Todo @model {
    id: ID!
    title: String!
    done: Boolean
    priority: Int
    tags: [String]
    note: String
  }
  type Note @model @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Admins"] }, { allow: public, operations: [read] }]) {
    id: ID!
    text: String!
    owner: String
  }
  type Secret @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    body: String!
  }
  type Invoice @model {
    id: ID!
    amount: Int!
    status: String
  }
  type Ticket @model {
    id: ID!
    state: String!
    assignee: String
  }
`;

export const TEST_API_KEY = 'test-api-key';
export const JWT_SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

export interface TestServer {
  server: OffgridServer;
  url: string;
  store: RecordStore;
  schema: NormalizedSchema;
  /** POSTs a GraphQL request; returns status and parsed body. */
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Starts a real server on a real database (a temp SQLite file, or a fresh PostgreSQL schema). */
export async function startTestServer(kind: DatabaseKind, options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const schema = options.schema ?? parseSchema(TEST_SDL);
  let dir: string | undefined;
  let store: RecordStore;
  let pgSchema: string | undefined;
  if (kind === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), 'offgrid-server-'));
    store = new SqliteRecordStore({ filename: join(dir, 'server.sqlite') });
  } else {
    pgSchema = testSchemaName();
    store = createTestPostgresStore({ schema: pgSchema });
  }
  const server = await createOffgridServer({
    schema,
    store,
    auth: { apiKeys: [TEST_API_KEY], jwt: { secret: JWT_SECRET }, adminApiKeys: ['admin-key'] },
    logger: pino({ level: 'silent' }),
    conflicts: { Invoice: { strategy: 'OPTIMISTIC_CONCURRENCY' }, Ticket: { strategy: 'CUSTOM', resolve: () => ({ action: 'reject' }) } },
    ...options,
  });
  const url = await server.listen(0);
  return {
    server,
    url,
    store,
    schema,
    async gql(query, variables = {}, headers = { 'x-api-key': TEST_API_KEY }) {
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      return { status: res.status, body };
    },
    async close() {
      await server.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (pgSchema) {
        const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
        await pool.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`).finally(() => pool.end());
      }
    },
  };
}
