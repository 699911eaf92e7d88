/**
 * Child process: one Offgrid sync server (or the plain-`ws` fan-out floor) for the server and sync
 * workloads, so the server has its own event loop and the load generator (the bench process) its own.
 *
 *   node src/server/serve.mjs '{"db":"sqlite"}'      # or "postgres", or {"kind":"ws-floor"}
 *   node src/server/serve.mjs '{"db":"postgres","pgSchema":"bench_x","keepSchema":true}'   # a second process on one schema
 *   node src/server/serve.mjs '{"db":"sqlite","tls":{"cert":"cert.pem","key":"key.pem"}}'     # HTTPS/WSS (Amplify's client needs wss)
 *
 * On PostgreSQL the server runs as `offgrid serve --database` does: with the LISTEN/NOTIFY change bus, so
 * several processes on one schema deliver each other's writes to their subscribers.
 *
 * Sends `{ url }` over IPC when listening; answers `{ type: 'seed', records }` (written straight into the
 * record store in transactions of 5,000, as the create mutation would store them), `{ type: 'stats' }` and
 * `{ type: 'close' }` (closes the server, drops the PostgreSQL schema, exits).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SDL } from '../config.mjs';
import { BENCH_LIMITS, PG_URL } from './net-config.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');

function reply(message) {
  process.send?.(message);
}

async function startOffgrid() {
  const { parseSchema, modelKeyOf } = await import('@offgrid/schema');
  const { createOffgridServer, SqliteRecordStore, PostgresRecordStore, PostgresChangeBus } = await import('@offgrid/server');
  const { pino } = await import('pino');
  const schema = parseSchema(SDL);
  let store;
  let bus;
  let cleanup = async () => undefined;
  if (options.db === 'postgres') {
    const pgSchema = options.pgSchema ?? `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    store = new PostgresRecordStore({ connectionString: PG_URL, schema: pgSchema, ...(options.pgPool ? { max: options.pgPool } : {}) });
    bus = new PostgresChangeBus({ connectionString: PG_URL, store });
    await bus.ready();
    cleanup = async () => {
      if (options.keepSchema) return;
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      await client.end();
    };
  } else {
    const file = join(tmpdir(), `offgrid-bench-server-${randomUUID()}.sqlite`);
    store = new SqliteRecordStore({ filename: file });
    cleanup = async () => ['', '-wal', '-shm'].forEach((s) => rmSync(file + s, { force: true }));
  }
  const tls = options.tls ? { tls: { cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) } } : {};
  const server = await createOffgridServer({ schema, store, ...(bus ? { bus } : {}), ...tls, auth: { apiKeys: ['k'] }, limits: BENCH_LIMITS, logger: pino({ level: 'silent' }) });
  const url = await server.listen(0);
  const def = schema.models.Item;

  /** Writes records the way `create` stores them (timestamps, version 1, per-field versions), 5,000 per transaction. */
  async function seed(records) {
    const now = Date.now();
    const iso = new Date(now).toISOString();
    for (let i = 0; i < records.length; i += 5000) {
      const chunk = records.slice(i, i + 5000);
      await store.transaction(async (tx) => {
        for (const r of chunk) {
          const data = { ...r, createdAt: iso, updatedAt: iso };
          const ok = await tx.insert({ model: 'Item', key: modelKeyOf(def, data), data, version: 1, deleted: false, lastChangedAt: now, fieldVersions: Object.fromEntries(Object.keys(data).map((f) => [f, 1])) });
          if (!ok) throw new Error(`seed: ${r.id} exists`);
        }
      });
    }
  }
  return { url, seed, close: async () => (await server.close(), await cleanup()) };
}

/**
 * The fan-out floor: a plain `ws` server speaking just enough of graphql-transport-ws (connection_ack,
 * and `next` frames carrying the record) and an HTTP endpoint that takes a record and sends it to every
 * socket with a subscription before answering. No GraphQL execution, no auth, no store.
 */
async function startWsFloor() {
  const { WebSocketServer } = await import('ws');
  const subscribers = new Map(); // socket -> subscription id
  const http = createServer((req, res) => {
    if (req.url !== '/publish') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const record = JSON.parse(body).record;
      for (const [socket, id] of subscribers) socket.send(JSON.stringify({ id, type: 'next', payload: { data: { onUpdateItem: record } } }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { updateItem: record } }));
    });
  });
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  wss.on('connection', (socket) => {
    socket.on('message', (raw) => {
      const m = JSON.parse(String(raw));
      if (m.type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack' }));
      else if (m.type === 'subscribe') subscribers.set(socket, m.id);
    });
    socket.on('close', () => subscribers.delete(socket));
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${http.address().port}`;
  return {
    url,
    seed: async () => undefined,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      await new Promise((r) => http.close(r));
    },
  };
}

try {
  const running = options.kind === 'ws-floor' ? await startWsFloor() : await startOffgrid();
  process.on('message', async (m) => {
    try {
      if (m.type === 'seed') {
        const t0 = performance.now();
        await running.seed(m.records);
        reply({ type: 'seeded', ms: performance.now() - t0 });
      } else if (m.type === 'stats') {
        reply({ type: 'stats', rss: process.memoryUsage().rss, cpu: process.cpuUsage() });
      } else if (m.type === 'close') {
        await running.close();
        reply({ type: 'closed' });
        process.exit(0);
      }
    } catch (error) {
      reply({ type: 'error', error: String(error?.stack ?? error) });
    }
  });
  // The bench process went away (killed, crashed): clean up (drop the PostgreSQL schema) and go.
  process.on('disconnect', () => {
    const hard = setTimeout(() => process.exit(1), 5000);
    void running.close().finally(() => (clearTimeout(hard), process.exit(0)));
  });
  reply({ type: 'listening', url: running.url });
} catch (error) {
  reply({ type: 'error', error: String(error?.stack ?? error) });
  process.exit(1);
}
