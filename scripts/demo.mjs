#!/usr/bin/env node
// `pnpm demo`: builds the packages and the four todo apps, starts `offgrid serve` on an embedded SQLite
// file, and serves each built app on its own localhost port. Ctrl-C stops everything.
//
//   pnpm demo                      build, then serve
//   pnpm demo --no-build           serve what is already built
//   OFFGRID_DEMO_PORT=4100 pnpm demo   the sync server on another port (the apps then need ?server=...)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, DEMO_API_KEY, ROOT, buildAll, isBuilt, serveDir, startServer } from './demo-lib.mjs';

const args = new Set(process.argv.slice(2));
const serverPort = Number(process.env.OFFGRID_DEMO_PORT ?? 4000);
const dataDir = join(ROOT, '.offgrid-data');
const database = join(dataDir, 'demo.sqlite');

/** @type {Array<() => Promise<void>>} */
const stops = [];
let stopping = false;

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the demo...');
  await Promise.allSettled(stops.reverse().map((stop) => stop()));
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function main() {
  if (!args.has('--no-build')) {
    console.log('Building the packages and the demo apps (turbo, cached)...');
    const { code } = await buildAll();
    if (code !== 0) console.warn(`\n[demo] the build reported failures (exit ${code}); serving whatever did build.\n`);
  }

  mkdirSync(dataDir, { recursive: true });
  const server = await startServer({ port: serverPort, database, apiKey: DEMO_API_KEY, quiet: true });
  stops.push(server.stop);
  server.child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[demo] offgrid serve stopped unexpectedly (${signal ?? code}):\n${server.output()}`);
      void shutdown(1);
    }
  });

  const lines = [];
  const missing = [];
  for (const app of APPS) {
    if (!isBuilt(app)) {
      missing.push(app);
      continue;
    }
    try {
      const site = await serveDir(app.dist, { port: app.port });
      stops.push(site.close);
      lines.push(`  ${app.label.padEnd(8)} ${site.url}`);
    } catch (error) {
      missing.push(app);
      console.error(`[demo] cannot serve ${app.label} on port ${app.port}: ${/** @type {Error} */ (error).message}`);
    }
  }

  const serverNote =
    serverPort === 4000 ? '' : `\n  (the apps default to port 4000: open them with ?server=${encodeURIComponent(server.graphqlUrl)})`;
  console.log(`
Offgrid demo is running.

  Sync server  ${server.graphqlUrl}  (API key "${DEMO_API_KEY}", SQLite ${database})${serverNote}

  Todo apps:
${lines.length > 0 ? lines.join('\n') : '  (none built)'}
`);
  for (const app of missing) {
    console.warn(`  [missing] ${app.label}: no build at ${app.dist} — run \`pnpm --filter ${app.pkg} build\` and restart.`);
  }
  console.log('Open two apps side by side and edit: changes sync live. Press Ctrl-C to stop.');
}

main().catch((error) => {
  console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
