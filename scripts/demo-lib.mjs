// The pieces of `pnpm demo`, shared with the end-to-end suite (apps/e2e): build the apps, start
// `offgrid serve`, serve a built app directory over HTTP. Node built-ins only.
import { spawn } from 'node:child_process';
import { existsSync, statSync, createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root. */
export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The demo's schema, the one `offgrid serve` loads. */
export const SCHEMA = join(ROOT, 'examples/todo.graphql');

/** The CLI entry point. */
export const OFFGRID_BIN = join(ROOT, 'packages/cli/bin/offgrid.js');

/** The API key the demo apps use unless the page URL says otherwise. */
export const DEMO_API_KEY = 'demo-key';

/**
 * The four demo apps, in the order the demo prints them.
 * @type {ReadonlyArray<{ name: 'react' | 'vue' | 'angular' | 'svelte'; label: string; pkg: string; dir: string; dist: string; port: number }>}
 */
export const APPS = [
  { name: 'react', label: 'React', port: 4173 },
  { name: 'vue', label: 'Vue', port: 4174 },
  { name: 'angular', label: 'Angular', port: 4175 },
  { name: 'svelte', label: 'Svelte', port: 4176 },
].map((app) => ({
  ...app,
  pkg: `@offgrid/todo-${app.name}`,
  dir: join(ROOT, `apps/todo-${app.name}`),
  dist: join(ROOT, `apps/todo-${app.name}/dist`),
}));

/**
 * Whether an app has a build to serve.
 * @param {{ dist: string }} app
 */
export function isBuilt(app) {
  return existsSync(join(app.dist, 'index.html'));
}

/**
 * Runs a command from the repo root, streaming its output (or collecting it when `quiet`).
 * Resolves with the exit code; never rejects for a non-zero exit.
 * @param {string} command
 * @param {string[]} args
 * @param {{ quiet?: boolean; cwd?: string }} [options]
 * @returns {Promise<{ code: number; output: string }>}
 */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: process.env,
    });
    let output = '';
    child.stdout?.on('data', (c) => (output += c));
    child.stderr?.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/**
 * Builds the packages and the apps through turbo (cached, so cheap when nothing changed). An app that
 * fails to build does not stop the others (`--continue`); callers check {@link isBuilt} afterwards.
 * @param {{ quiet?: boolean; filters?: string[] }} [options]
 */
export async function buildAll(options = {}) {
  const filters = options.filters ?? ['./packages/*', './apps/*'];
  return run('pnpm', ['exec', 'turbo', 'run', 'build', '--continue', ...filters.map((f) => `--filter=${f}`)], options);
}

/**
 * Builds one app (and what it depends on) through turbo.
 * @param {{ pkg: string }} app
 * @param {{ quiet?: boolean }} [options]
 */
export function buildApp(app, options = {}) {
  return run('pnpm', ['exec', 'turbo', 'run', 'build', `--filter=${app.pkg}...`], options);
}

/**
 * Starts `offgrid serve` as a child process and resolves once it prints its URL.
 * @param {{ port?: number; database: string; apiKey?: string; schema?: string; host?: string; quiet?: boolean; env?: Record<string, string> }} options
 * @returns {Promise<{ url: string; graphqlUrl: string; child: import('node:child_process').ChildProcess; output: () => string; stop: () => Promise<void> }>}
 */
export function startServer(options) {
  const args = [
    OFFGRID_BIN,
    'serve',
    '--schema', options.schema ?? SCHEMA,
    '--api-key', options.apiKey ?? DEMO_API_KEY,
    '--port', String(options.port ?? 0),
    '--host', options.host ?? '127.0.0.1',
    '--database', options.database,
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, OFFGRID_LOG_LEVEL: process.env.OFFGRID_LOG_LEVEL ?? 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const stop = () =>
    new Promise((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop(undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolveStop(undefined);
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`offgrid serve did not print its URL within 30 s:\n${out}`));
    }, 30_000);
    let started = false;
    const onData = (/** @type {Buffer} */ chunk) => {
      out = (out + chunk.toString()).slice(-200_000);
      if (!options.quiet && started) process.stdout.write(chunk);
      const m = /offgrid serve: (https?:\/\/\S+?)\/graphql/.exec(out);
      if (m && !started) {
        started = true;
        clearTimeout(timer);
        resolvePromise({ url: m[1], graphqlUrl: `${m[1]}/graphql`, child, output: () => out, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`offgrid serve exited (${signal ?? code}) before it was ready:\n${out}`));
    });
  });
}

/** Content types for what Vite and the Angular builder emit. */
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

/**
 * The file a request path maps to inside `root`: the file itself, `dir/index.html`, or (SPA fallback, for
 * paths without a file extension) the root `index.html`. Undefined when nothing fits; never outside `root`.
 * @param {string} root absolute directory
 * @param {string} urlPath the request's path (may be percent-encoded, may carry a query)
 * @returns {string | undefined}
 */
export function resolveStaticFile(root, urlPath) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(urlPath, 'http://x').pathname);
  } catch {
    return undefined;
  }
  const base = resolve(root);
  const candidate = normalize(join(base, pathname));
  if (candidate !== base && !candidate.startsWith(base + sep)) return undefined;
  const isFile = (/** @type {string} */ p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (isFile(candidate)) return candidate;
  if (isFile(join(candidate, 'index.html'))) return join(candidate, 'index.html');
  // SPA fallback: a route, not a missing asset (a missing `/assets/x.js` stays a 404).
  if (!extname(pathname) && isFile(join(base, 'index.html'))) return join(base, 'index.html');
  return undefined;
}

/** The content type for a file name. */
export function contentType(/** @type {string} */ file) {
  return CONTENT_TYPES[/** @type {keyof typeof CONTENT_TYPES} */ (extname(file).toLowerCase())] ?? 'application/octet-stream';
}

/**
 * Serves a built app directory: correct content types, SPA fallback to index.html, `index.html` never
 * cached (hashed assets may be). Resolves once listening.
 * @param {string} root
 * @param {{ port?: number; host?: string }} [options]
 * @returns {Promise<{ url: string; port: number; close: () => Promise<void> }>}
 */
export function serveDir(root, options = {}) {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveStaticFile(root, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const size = statSync(file).size;
    res.writeHead(200, {
      'content-type': contentType(file),
      'content-length': size,
      'cache-control': file.endsWith('.html') ? 'no-cache' : 'public, max-age=0',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
  // Keep-alive sockets would hold `close()` open.
  server.keepAliveTimeout = 1_000;
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
      resolvePromise({
        url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`,
        port,
        close: () =>
          new Promise((r) => {
            server.close(() => r(undefined));
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

/**
 * One GraphQL request to the sync server, as a client with the API key would make it.
 * @param {string} graphqlUrl
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 * @param {string} [apiKey]
 * @returns {Promise<any>} the `data`; throws on GraphQL errors
 */
export async function gql(graphqlUrl, query, variables = {}, apiKey = DEMO_API_KEY) {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
  });
  const body = /** @type {any} */ (await res.json());
  if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((/** @type {any} */ e) => e.message).join('; ')}`);
  return body.data;
}
