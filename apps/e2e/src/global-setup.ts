import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// The same pieces `pnpm demo` uses.
import { APPS, buildApp, isBuilt, serveDir, startServer } from '../../../scripts/demo-lib.mjs';
import { CHROMIUM } from './support/browser';
import type { AppName, E2EContext } from './support/context';

function loud(message: string): void {
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\n${message}\n${bar}\n`);
}

/** Debian's Chromium, installed through apt when it is missing (CI images start without it). */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  console.log(`[e2e] ${CHROMIUM} is missing: installing Debian's chromium through apt...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-E'];
  const apt = (args: string[]) =>
    asRoot.length > 0
      ? execFileSync(asRoot[0]!, [...asRoot.slice(1), 'apt-get', ...args], { stdio: 'inherit', env })
      : execFileSync('apt-get', args, { stdio: 'inherit', env });
  apt(['update']);
  apt(['install', '-y', 'chromium']);
  if (!existsSync(CHROMIUM)) throw new Error(`apt installed chromium but ${CHROMIUM} is still missing`);
}

/**
 * Starts what the suite drives: Chromium (installed if missing), a real `offgrid serve` on a temporary
 * SQLite file and a free port, and one static server per built app. Apps without a build are built
 * first; one that still has none fails the run, unless OFFGRID_E2E_ALLOW_MISSING=1, which skips it loudly.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const allowMissing = process.env.OFFGRID_E2E_ALLOW_MISSING === '1';
  const forceBuild = process.env.OFFGRID_E2E_BUILD === '1';
  const only = process.env.OFFGRID_E2E_APPS?.split(',').map((s) => s.trim()).filter(Boolean);

  ensureChromium();

  const cleanups: Array<() => Promise<void> | void> = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'offgrid-e2e-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    const apps: E2EContext['apps'] = [];
    const missing: E2EContext['missing'] = [];
    for (const app of APPS) {
      if (only && !only.includes(app.name)) continue;
      if (!isBuilt(app) || forceBuild) {
        console.log(`[e2e] building ${app.pkg} (and what it depends on)...`);
        const { code, output } = await buildApp(app, { quiet: true });
        if (code !== 0) console.warn(`[e2e] building ${app.pkg} failed (exit ${code}):\n${output.split('\n').slice(-40).join('\n')}`);
      }
      if (!isBuilt(app)) {
        const why = `${app.pkg} has no build at ${app.dist}/index.html`;
        if (!allowMissing) {
          throw new Error(`${why}. Fix its build (\`pnpm --filter ${app.pkg} build\`), or set OFFGRID_E2E_ALLOW_MISSING=1 to skip it.`);
        }
        loud(`[e2e] SKIPPING ${app.label}: ${why} (OFFGRID_E2E_ALLOW_MISSING=1). Its scenarios do not run.`);
        missing.push({ name: app.name as AppName, label: app.label, reason: why });
        continue;
      }
      // A snapshot of the build: a rebuild while the suite runs (vite empties dist first) cannot pull files away.
      const dist = join(dataDir, `todo-${app.name}`);
      cpSync(app.dist, dist, { recursive: true });
      const site = await serveDir(dist);
      cleanups.push(site.close);
      apps.push({ name: app.name as AppName, label: app.label, url: site.url, dist });
    }

    const server = await startServer({ database: join(dataDir, 'e2e.sqlite'), port: 0, quiet: true });
    cleanups.push(server.stop);
    console.log(`[e2e] offgrid serve at ${server.graphqlUrl}; apps: ${apps.map((a) => `${a.name} ${a.url}`).join(', ') || 'none'}`);

    project.provide('e2e', { graphqlUrl: server.graphqlUrl, apps, missing });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
