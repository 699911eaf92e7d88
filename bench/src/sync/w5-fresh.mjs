/**
 * W5 with the real Amplify client: N records on one Offgrid server over HTTPS/WSS (Amplify's DataStore always
 * opens `wss://` for its subscriptions, and waits for them before it syncs), then each client in a fresh Node
 * process (`w5-client.mjs`), one after another, against that same server and those same records:
 * the unmodified aws-amplify DataStore on fake-indexeddb, and Offgrid's DataStore on IndexedDBAdapter over
 * fake-indexeddb (the same storage), MemoryAdapter and SQLite. Each reports its sync time, the time from its
 * process start to all records queried, and its CPU time.
 *
 * Amplify at 100,000 records can take minutes on a loaded machine: its run is capped (BENCH_W5_AMPLIFY_CAP_S,
 * default 300 s at 100,000 and 240 s below), and a capped run is reported as such, with the bound it gives.
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, round, startServer } from '../server/harness.mjs';
import { syncSizes } from '../server/net-config.mjs';
import { recordsFor } from './w5.mjs';

const CLIENT = fileURLToPath(new URL('./w5-client.mjs', import.meta.url));
export const FRESH_SYSTEMS = ['offgrid-indexeddb', 'amplify', 'offgrid-memory', 'offgrid-sqlite'];

/** A self-signed certificate for 127.0.0.1, trusted by the client processes through NODE_EXTRA_CA_CERTS. */
function certificate(dir) {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { cert, key };
}

export function amplifyCapMs(n) {
  const fromEnv = Number(process.env.BENCH_W5_AMPLIFY_CAP_S);
  return (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : n >= 100_000 ? 300 : 240) * 1000;
}

/** Runs one client process; resolves with its report, or `{ capped }` / `{ error }`. */
function runClient(system, graphql, n, caFile, capMs) {
  return new Promise((resolve) => {
    const spawned = performance.now();
    const child = fork(CLIENT, [JSON.stringify({ system, graphql, n, pageSize: syncSizes.w5PageSize })], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
    let result;
    child.on('message', (m) => (result = { ...m, spawnToResultMs: performance.now() - spawned }));
    const timer = setTimeout(() => {
      result = { capped: true, capMs };
      child.kill('SIGKILL');
    }, capMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(result ?? { error: `exited with code ${code} without a result: ${stderr.split('\n').slice(-5).join(' ')}` });
    });
  });
}

export async function runW5Fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'offgrid-bench-w5-tls-'));
  const rows = [];
  try {
    const tls = certificate(dir);
    for (const n of syncSizes.w5) {
      const records = recordsFor(n);
      const server = await startServer({ db: 'sqlite', tls });
      try {
        const seedMs = await server.seed(records);
        progress('W5 fresh', `seeded ${n} records in ${seedMs.toFixed(0)} ms (HTTPS server ${server.graphql})`);
        for (const system of FRESH_SYSTEMS) {
          const capMs = system === 'amplify' ? amplifyCapMs(n) : 600_000;
          const r = await runClient(system, server.graphql, n, tls.cert, capMs);
          if (r.error) {
            progress('W5 fresh', `${system} ${n}: FAILED ${r.error}`);
            rows.push({ system, n, error: r.error });
          } else if (r.capped) {
            progress('W5 fresh', `${system} ${n}: capped at ${capMs / 1000} s`);
            rows.push({ system, n, capped: true, capMs });
          } else {
            const row = {
              system,
              n,
              count: r.count,
              ok: r.count === n,
              syncMs: round(r.syncMs),
              queryMs: round(r.queryMs),
              processMs: round(r.processMs),
              cpuMs: round(r.cpuMs),
              syncCpuMs: round(r.syncCpuMs),
              recordsPerSecond: Math.round((n / r.syncMs) * 1000),
            };
            progress('W5 fresh', `${system} ${n}: sync ${row.syncMs.toFixed(0)} ms (${row.recordsPerSecond} records/s, CPU ${row.syncCpuMs.toFixed(0)} ms), process start to all queried ${row.processMs.toFixed(0)} ms${row.ok ? '' : ` WRONG COUNT ${r.count}`}`);
            rows.push(row);
          }
        }
      } finally {
        await server.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, amplifyCapS: Object.fromEntries(syncSizes.w5.map((n) => [n, amplifyCapMs(n) / 1000])) };
}
