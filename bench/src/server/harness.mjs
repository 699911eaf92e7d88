/** Starting a bench server in its own process, talking GraphQL to it, and the shared bits of the network workloads. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PG_URL } from './net-config.mjs';

const SERVE = fileURLToPath(new URL('./serve.mjs', import.meta.url));
export const API_KEY = 'k';

export const progress = (label, text) => process.stderr.write(`[bench] ${label}: ${text}\n`);
export const round = (ms) => Math.round(ms * 1000) / 1000;

/**
 * Forks `serve.mjs` ({ db: 'sqlite' | 'postgres' } or { kind: 'ws-floor' }) and resolves once it listens.
 * `seed(records)` writes records straight into its store; `close()` stops it (and drops its PostgreSQL schema).
 */
export function startServer(options) {
  return new Promise((resolve, reject) => {
    const child = fork(SERVE, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const waiters = [];
    const next = (type) => new Promise((res, rej) => waiters.push({ type, res, rej }));
    let url;
    child.on('message', (m) => {
      if (m.type === 'listening') {
        url = m.url;
        resolve({
          url,
          graphql: `${url}/graphql`,
          pid: child.pid,
          async seed(records) {
            child.send({ type: 'seed', records });
            return (await next('seeded')).ms;
          },
          async stats() {
            child.send({ type: 'stats' });
            return next('stats');
          },
          async close() {
            if (!child.connected) return;
            child.send({ type: 'close' });
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            await new Promise((r) => child.once('exit', r));
            clearTimeout(timer);
          },
        });
        return;
      }
      if (m.type === 'error') {
        const error = new Error(`bench server: ${m.error}`);
        if (!url) reject(error);
        for (const w of waiters.splice(0)) w.rej(error);
        return;
      }
      const i = waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) waiters.splice(i, 1)[0].res(m);
    });
    child.on('exit', (code) => {
      const error = new Error(`bench server exited with code ${code}`);
      if (!url) reject(error);
      for (const w of waiters.splice(0)) w.rej(error);
    });
  });
}

/** One GraphQL request over HTTP (Node's fetch, keep-alive), as the Offgrid client sends them. */
export async function gql(graphqlUrl, query, variables = {}) {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (res.status !== 200 || body.errors?.length) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

export const PUSH = 'mutation Push($m: [OffgridMutationInput!]!) { pushMutations(mutations: $m) { mutationId record error { errorType message } } }';
/** Every stored field of Item plus the sync metadata: what the Offgrid client selects. */
export const ITEM_FIELDS = 'id title done priority owner changedAt body createdAt updatedAt _version _deleted _lastChangedAt';

/** Whether PostgreSQL answers at PG_URL; the reason when it does not. */
export async function pgAvailable() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} not reachable: ${error.message}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `fn(i)` for i in 0..n-1 with `n` concurrent workers; resolves with their results. */
export const concurrently = (n, fn) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
