/**
 * The browser group: W1-W4 in real Chromium (Debian's /usr/bin/chromium through playwright-core, as
 * apps/e2e drives it), each system in a fresh browser context (its own IndexedDB), on the Node group's
 * data and workload code bundled by esbuild. Then W3/W4 at 100,000 records for Offgrid and Dexie.
 * Writes results/browser.json. `node src/browser/run.mjs [system ...]` runs a subset and prints the table.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { config, QUICK } from '../config.mjs';
import { versionOf } from '../versions.mjs';
import { renderBrowserTable } from './table.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // GC between runs and workloads, as the Node group does with --expose-gc.
  '--js-flags=--expose-gc',
];
const RESULTS = new URL('../../results/', import.meta.url);

/** The systems of the browser group, in table order, with the packages their version line names. */
export const BROWSER_SYSTEM_IDS = [
  { id: 'offgrid-indexeddb', packages: ['@offgrid/core'] },
  { id: 'offgrid-opfs', packages: ['@offgrid/sqlite', '@sqlite.org/sqlite-wasm'] },
  { id: 'dexie', packages: ['dexie'] },
  { id: 'rxdb', packages: ['rxdb'] },
  { id: 'amplify', packages: ['aws-amplify', '@aws-amplify/datastore'] },
];
/** W3 and W4 at this many records, for Offgrid's browser adapter and Dexie. */
const SCALE_RECORDS = QUICK ? 10_000 : 100_000;
const SCALE_SYSTEMS = ['offgrid-indexeddb', 'dexie'];

async function bundle() {
  const dir = mkdtempSync(join(tmpdir(), 'offgrid-browser-bench-'));
  await build({
    entryPoints: [fileURLToPath(new URL('./page.mjs', import.meta.url))],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    outdir: dir,
    minify: !process.env.BENCH_BROWSER_PROFILE,
    logLevel: 'error',
    define: {
      'process.env.BENCH_QUICK': JSON.stringify(process.env.BENCH_QUICK ?? ''),
      'process.env.NODE_ENV': '"production"',
      'process.stderr.write': 'globalThis.__benchProgress',
      global: 'globalThis',
    },
  });
  // Offgrid on OPFS: its worker as a file of its own (esbuild does not follow `new Worker(new URL(...))`), with
  // SQLite's WebAssembly beside it, where the worker's `new URL('sqlite3.wasm', import.meta.url)` looks.
  const require = createRequire(import.meta.url);
  await build({
    entryPoints: { 'opfs-worker': require.resolve('@offgrid/sqlite/opfs-worker') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: dir,
    minify: !process.env.BENCH_BROWSER_PROFILE,
    logLevel: 'error',
  });
  const wasm = require.resolve('@sqlite.org/sqlite-wasm/sqlite3.wasm');
  copyFileSync(wasm, join(dir, 'sqlite3.wasm'));
  // Loaded by SQLite's other OPFS VFS, which it sets up by itself in cross-origin isolated pages (unused here).
  copyFileSync(join(dirname(wasm), 'sqlite3-opfs-async-proxy.js'), join(dir, 'sqlite3-opfs-async-proxy.js'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>offgrid bench</title>' +
      '<script>globalThis.__benchProgress = (t) => console.log(String(t).trimEnd())</script>' +
      '<script type="module" src="/page.js"></script>',
  );
  return dir;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json', '.wasm': 'application/wasm' };

function serve(dir) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    try {
      const body = readFileSync(join(dir, path === '/' ? 'index.html' : path.slice(1)));
      // Cross-origin isolation: without it Chromium coarsens performance.now() to 0.1 ms.
      res.writeHead(200, {
        'content-type': TYPES[extname(path) || '.html'] ?? 'application/octet-stream',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** One system in a fresh context and page; resolves with its results or an error. */
async function runInPage(browser, url, id, sizes, timeoutMs) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('console', (m) => process.stderr.write(`[browser ${id}] ${m.text()}\n`));
    page.on('pageerror', (e) => process.stderr.write(`[browser ${id}] page error: ${e.message}\n`));
    await page.goto(url);
    await page.waitForFunction(() => typeof globalThis.runBench === 'function');
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    // BENCH_BROWSER_PROFILE=<dir>: a CPU profile of each page (open it in DevTools, or read it as JSON).
    const profileDir = process.env.BENCH_BROWSER_PROFILE;
    const cdp = profileDir ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    try {
      return await Promise.race([page.evaluate(([i, s]) => globalThis.runBench(i, s), [id, sizes]), timeout]);
    } finally {
      clearTimeout(timer);
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(join(profileDir, `${id}-${sizes.records}.cpuprofile`), JSON.stringify(profile));
      }
    }
  } catch (error) {
    return { error: String(error?.message ?? error).split('\n')[0] };
  } finally {
    await context.close();
  }
}

/** Runs the browser group; writes results/browser.json (quick-browser.json with BENCH_QUICK=1). */
export async function runBrowserGroup(only) {
  const dir = await bundle();
  const server = await serve(dir);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const loadBefore = loadavg()[0];
  const report = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      chromium: browser.version(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      quick: QUICK,
      sizes: config,
      scaleRecords: SCALE_RECORDS,
      load: { before: Math.round(loadBefore * 10) / 10 },
    },
    systems: [],
    scale: [],
  };
  try {
    const timeoutMs = QUICK ? 300_000 : 900_000;
    for (const { id, packages } of BROWSER_SYSTEM_IDS) {
      if (only && !only.includes(id)) continue;
      process.stderr.write(`[bench] ---- browser ${id}\n`);
      const r = await runInPage(browser, url, id, { ...config }, timeoutMs);
      const version = packages.map((p) => `${p} ${versionOf(p)}`).join(', ');
      report.systems.push({ id, version, ...r });
      if (r.error) process.stderr.write(`[bench] browser ${id} FAILED: ${r.error}\n`);
    }
    // BENCH_BROWSER_SCALE=0 skips the 100,000-record runs (they take longest).
    for (const id of process.env.BENCH_BROWSER_SCALE === '0' ? [] : SCALE_SYSTEMS) {
      if (only && !only.includes(id)) continue;
      process.stderr.write(`[bench] ---- browser ${id} at ${SCALE_RECORDS} records\n`);
      const sizes = { ...config, records: SCALE_RECORDS, w1Runs: 1, w1BudgetMs: 0 };
      const r = await runInPage(browser, url, id, sizes, timeoutMs * 2);
      report.scale.push({ id, records: SCALE_RECORDS, ...r });
      if (r.error) process.stderr.write(`[bench] browser ${id} at ${SCALE_RECORDS} FAILED: ${r.error}\n`);
    }
  } finally {
    report.meta.load.after = Math.round(loadavg()[0] * 10) / 10;
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (!only) writeFileSync(new URL(QUICK ? 'quick-browser.json' : 'browser.json', RESULTS), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ids = process.argv.slice(2);
  const report = await runBrowserGroup(ids.length > 0 ? ids : undefined);
  // BENCH_BROWSER_WRITE=1: a subset's run is written to results/browser.json too (say which systems ran).
  if (ids.length > 0 && process.env.BENCH_BROWSER_WRITE === '1') {
    writeFileSync(new URL(QUICK ? 'quick-browser.json' : 'browser.json', RESULTS), `${JSON.stringify(report, null, 2)}\n`);
  }
  process.stdout.write(`\n## Browser (W1-W4 in Chromium)\n\n${renderBrowserTable(report)}`);
}
