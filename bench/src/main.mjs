/**
 * Runs the three groups and prints a table per group:
 * - local: W1-W4 for every system, each in its own node process (fresh heap, --expose-gc, and Amplify
 *   DataStore is a process singleton); writes results/local.json.
 * - server: push throughput (SQLite, PostgreSQL) beside raw floors, and fan-out; results/server.json.
 * - sync: W5-W8 against a server; results/sync.json.
 * Each server/sync job runs in its own process too (`src/server/run.mjs <group> <job>`), and starts its
 * servers in processes of their own.
 *
 *   pnpm --filter @offgrid/bench run bench              # full run, all groups
 *   BENCH_ONLY=server pnpm --filter @offgrid/bench run bench   # one group: local | server | sync | browser (comma list ok)
 *   BENCH_QUICK=1 pnpm --filter @offgrid/bench run bench  # smoke sizes, writes results/quick*.json
 *   node src/main.mjs dexie rxdb-memory                  # a subset of the local systems (prints only)
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { config, QUICK } from './config.mjs';
import { SYSTEMS } from './systems/index.mjs';
import { renderTable } from './table.mjs';
import { versionOf } from './versions.mjs';

const RUNNER = fileURLToPath(new URL('./run-system.mjs', import.meta.url));
const JOB_RUNNER = fileURLToPath(new URL('./server/run.mjs', import.meta.url));
export const GROUPS = ['local', 'server', 'sync', 'browser'];
const RESULTS = new URL('../results/', import.meta.url);

function runChild(id, timeoutMs, runner = RUNNER, args = [id]) {
  return new Promise((resolve) => {
    const child = fork(runner, args, { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: process.env });
    const other = [];
    let result;
    const onData = (chunk) => {
      for (const line of String(chunk).split('\n')) {
        if (line.startsWith('[bench]')) process.stderr.write(`${line}\n`);
        else if (line.trim()) other.push(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('message', (m) => (result = m));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) return resolve(result);
      const why = signal ? `killed (${signal}) after ${timeoutMs / 1000} s` : `exited with code ${code} without a result`;
      resolve({ id, label: id, error: `${why}\n${other.slice(-20).join('\n')}` });
    });
  });
}

/** Runs the given systems (all by default) and returns the report; writes JSON when running all of them. */
export async function runBench(ids = SYSTEMS.map((s) => s.id)) {
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const systems = [];
  for (const id of ids) {
    process.stderr.write(`[bench] ---- ${id}\n`);
    const r = await runChild(id, QUICK ? 120_000 : 600_000);
    if (r.error) process.stderr.write(`[bench] ${id} FAILED: ${r.error}\n`);
    if (r.skipped) process.stderr.write(`[bench] ${id} skipped: ${r.skipped}\n`);
    systems.push(r);
  }
  const cpu = cpus();
  const report = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model?.trim() ?? 'unknown',
      quick: QUICK,
      fakeIndexedDB: versionOf('fake-indexeddb'),
      records: config.records,
      sizes: config,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      // 1-minute load averages: other work on the machine inflates every number.
      load: { before: Math.round(loadBefore * 10) / 10, after: Math.round(loadavg()[0] * 10) / 10 },
    },
    systems,
  };
  if (ids.length === SYSTEMS.length) {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(new URL(QUICK ? 'quick.json' : 'local.json', RESULTS), `${JSON.stringify(report, null, 2)}\n`);
  }
  return report;
}

function machineMeta(started, loadBefore) {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model?.trim() ?? 'unknown',
    quick: QUICK,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    load: { before: Math.round(loadBefore * 10) / 10, after: Math.round(loadavg()[0] * 10) / 10 },
  };
}

/** Runs every job of the server or sync group, each in its own process; writes results/<group>.json. */
export async function runGroup(group) {
  const { JOBS } = group === 'sync' ? await import('./sync/jobs.mjs') : await import('./server/jobs.mjs');
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const jobs = [];
  for (const job of JOBS) {
    process.stderr.write(`[bench] ---- ${group} ${job.id}\n`);
    const r = await runChild(job.id, QUICK ? 180_000 : (job.timeoutMs ?? 600_000), JOB_RUNNER, [group, job.id]);
    if (r.error) process.stderr.write(`[bench] ${group} ${job.id} FAILED: ${r.error}\n`);
    if (r.skipped) process.stderr.write(`[bench] ${group} ${job.id} skipped: ${r.skipped}\n`);
    jobs.push(r);
  }
  const report = { meta: machineMeta(started, loadBefore), jobs };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(new URL(QUICK ? `quick-${group}.json` : `${group}.json`, RESULTS), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** The groups BENCH_ONLY selects (all by default). */
export function selectedGroups() {
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((g) => g.trim()).filter(Boolean);
  const unknown = only.filter((g) => !GROUPS.includes(g));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown group(s) ${unknown.join(', ')}; known: ${GROUPS.join(', ')}`);
  return only.length > 0 ? only : GROUPS;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const groups = selectedGroups();
  const ids = process.argv.slice(2);
  const unknown = ids.filter((id) => !SYSTEMS.some((s) => s.id === id));
  if (unknown.length > 0) {
    console.error(`unknown system(s) ${unknown.join(', ')}; known: ${SYSTEMS.map((s) => s.id).join(', ')}`);
    process.exit(2);
  }
  if (groups.includes('local')) {
    const report = await runBench(ids.length > 0 ? ids : undefined);
    process.stdout.write(`\n## Local (W1-W4)\n\n${renderTable(report)}`);
  }
  if (groups.includes('server')) {
    const { renderServerTable } = await import('./server/table.mjs');
    process.stdout.write(`\n## Server (push throughput, fan-out)\n\n${renderServerTable(await runGroup('server'))}`);
  }
  if (groups.includes('sync')) {
    const { renderSyncTable } = await import('./sync/table.mjs');
    process.stdout.write(`\n## Sync (W5-W8)\n\n${renderSyncTable(await runGroup('sync'))}`);
  }
  if (groups.includes('browser')) {
    const { runBrowserGroup } = await import('./browser/run.mjs');
    const { renderBrowserTable } = await import('./browser/table.mjs');
    process.stdout.write(`\n## Browser (W1-W4 in Chromium)\n\n${renderBrowserTable(await runBrowserGroup())}`);
  }
  process.stderr.write(`[bench] done in ${Math.round((performance.now() - started) / 100) / 10} s\n`);
}
