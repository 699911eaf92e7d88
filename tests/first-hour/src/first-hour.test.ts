import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// What a new user does, from the READMEs and the getting-started page: the packages as npm would ship them
// (`pnpm pack`), installed with npm into a fresh app outside the workspace, codegen, a type-check without
// skipLibCheck, a Vite build, `offgrid serve` from the installed CLI, and a Node script that syncs both ways.
const ROOT = resolve(__dirname, '../../..');
const APP_FILES = resolve(__dirname, 'app');
const PACKAGES = ['schema', 'core', 'sqlite', 'server', 'cli', 'react'];
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
// Node 22.13+ has node:sqlite: there better-sqlite3's install script does not run (--ignore-scripts stands in for
// the prebuilt download users get), so nothing is compiled and the app must work without it.
const nodeSqlite = major > 22 || (major === 22 && minor >= 13);

const work = mkdtempSync(join(tmpdir(), 'offgrid-first-hour-'));
const app = join(work, 'app');
const children: ChildProcess[] = [];
// npm and the installed bins run on the Node running this test (20 or 24 in CI).
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}`, OFFGRID_LOG_LEVEL: 'warn' };

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
}

/**
 * better-sqlite3 for Node 20 without compiling it again (75+ s): the workspace's build of the same version,
 * offered through prebuild-install's local-prebuilds directory, which its install script checks first.
 */
function localBetterSqlite3Prebuild(): { version: string; env: NodeJS.ProcessEnv } {
  const req = createRequire(join(ROOT, 'packages/sqlite/package.json'));
  const pkgDir = dirname(req.resolve('better-sqlite3/package.json'));
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const dir = join(work, 'prebuilds');
  mkdirSync(dir, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['czf', join(dir, name), '-C', pkgDir, 'build/Release/better_sqlite3.node']);
  return { version, env: { npm_config_better_sqlite3_local_prebuilds: dir } };
}

function startServe(): Promise<string> {
  const bin = join(app, 'node_modules/.bin/offgrid');
  const child = spawn(bin, ['serve', '--schema', 'schema.graphql', '--api-key', 'dev-key', '--port', '0', '--database', join(app, 'data/offgrid.sqlite')], {
    cwd: app,
    env,
  });
  children.push(child);
  let out = '';
  return new Promise((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /offgrid serve: (http:\/\/\S+\/graphql)/.exec(out);
      if (m) resolveUrl(m[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`offgrid serve exited with ${code}:\n${out}`)));
  });
}

describe(`a new app from the packed packages on Node ${process.versions.node}`, () => {
  it('installs with npm, generates models, type-checks, builds, serves and syncs', async () => {
    // 1. The tarballs npm would publish.
    const packs = join(work, 'packs');
    mkdirSync(packs);
    for (const pkg of PACKAGES) run('pnpm', ['pack', '--pack-destination', packs], join(ROOT, 'packages', pkg));
    const tarballs = new Map(readdirSync(packs).map((f) => [`@offgrid/${/^offgrid-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(f)![1]}`, join(packs, f)]));
    for (const tarball of tarballs.values()) {
      const listing = run('tar', ['tzf', tarball], packs);
      expect(listing).toContain('package/README.md');
      expect(listing).toContain('package/LICENSE');
    }

    // 2. A fresh app outside the workspace, installed the way the docs say, with npm.
    mkdirSync(join(app, 'src'), { recursive: true });
    for (const file of ['schema.graphql', 'tsconfig.json', 'index.html', 'sync.mjs', 'src/main.tsx']) copyFileSync(join(APP_FILES, file), join(app, file));
    const prebuild = nodeSqlite ? undefined : localBetterSqlite3Prebuild();
    const file = (name: string) => `file:${tarballs.get(name)}`;
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify(
        {
          name: 'first-hour-app',
          private: true,
          type: 'module',
          dependencies: {
            '@offgrid/core': file('@offgrid/core'),
            '@offgrid/schema': file('@offgrid/schema'),
            '@offgrid/sqlite': file('@offgrid/sqlite'),
            '@offgrid/react': file('@offgrid/react'),
            react: '^19.2.0',
            'react-dom': '^19.2.0',
          },
          devDependencies: {
            '@offgrid/cli': file('@offgrid/cli'),
            '@offgrid/server': file('@offgrid/server'),
            '@types/react': '^19.2.0',
            '@types/react-dom': '^19.2.0',
            typescript: '~5.9.3',
            vite: '^7.3.8',
          },
          // The version the local prebuild is for (npm would otherwise pick the newest 12.x and compile it).
          ...(prebuild ? { overrides: { 'better-sqlite3': prebuild.version } } : {}),
        },
        null,
        2,
      ),
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...(nodeSqlite ? ['--ignore-scripts'] : [])], app, prebuild?.env);
    expect(existsSync(join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(!nodeSqlite);

    // 3. Codegen, a strict type-check that also checks the packages' own .d.ts files, and a browser build.
    run(join(app, 'node_modules/.bin/offgrid'), ['codegen', '--schema', 'schema.graphql', '--out', 'src/models'], app);
    run(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], app);
    run(join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], app);
    const assets = readdirSync(join(app, 'dist/assets')).filter((f) => f.endsWith('.js'));
    expect(assets.length).toBeGreaterThan(0);
    const bundle = assets.map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8')).join('\n');
    expect(bundle).toContain('byFolder'); // the generated schema made it in
    expect(bundle).not.toMatch(/Sec-WebSocket-Key|ws does not work in the browser/i); // Node's `ws` did not

    // 4. The server from the installed CLI, and the Node side of the app syncing with it both ways.
    const url = await startServe();
    const result = JSON.parse(run('node', ['sync.mjs', url, join(app, 'local.sqlite')], app).trim().split('\n').pop()!) as {
      node: string;
      localTexts: string[];
      serverTexts: string[];
    };
    expect(result).toEqual({
      node: process.versions.node,
      localTexts: ['written on Node', 'written on the server'],
      serverTexts: ['written on Node', 'written on the server'],
    });
  });
});
