import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(__dirname, '..');
export const BIN = resolve(ROOT, '../../packages/cli/bin/offgrid.js');
export const SCHEMA = join(ROOT, 'fixtures/schema.graphql');
export const CONFIG = join(ROOT, 'fixtures/occ.config.mjs');
export const API_KEY = 'da2-offgridamplifytestkey';
export const JWT_SECRET = 'amplify-test-secret-0123456789abcdef';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLIENT = join(ROOT, 'src/amplify-client.mjs');
const DEBUG = process.env.AMPLIFY_TEST_DEBUG === '1';

/** A self-signed certificate for 127.0.0.1/localhost, trusted by the clients through NODE_EXTRA_CA_CERTS. */
export function makeCertificate(dir: string): { cert: string; key: string; pem: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  return { cert, key, pem: readFileSync(cert, 'utf8') };
}

/** `offgrid codegen --target amplify`: the `models/schema.js` an Amplify app's `initSchema` loads. */
export function amplifyModels(dir: string, schemaFile = SCHEMA): string {
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  execFileSync(process.execPath, [BIN, 'codegen', '--target', 'amplify', '--schema', schemaFile, '--out', dir], { stdio: 'pipe' });
  return pathToFileURL(join(dir, 'schema.js')).href;
}

/** A user-pool style JWT (HS256, as `offgrid serve --jwt-secret` verifies): `sub` plus `cognito:username`. */
export function userToken(username: string, groups?: string[]): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: `sub-${username}`, 'cognito:username': username, ...(groups ? { 'cognito:groups': groups } : {}), token_use: 'id', iat: now, exp: now + 3600 };
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', JWT_SECRET).update(body).digest('base64url')}`;
}

export function freshPgSchema(): string {
  return `offgrid_amplify_${randomBytes(5).toString('hex')}`;
}

/** A real `offgrid serve` process (the CLI), over TLS. */
export class ServeProcess {
  child!: ChildProcess;
  url = '';
  port = 0;
  output = '';

  constructor(
    private readonly args: { database: string; pgSchema?: string; cert: string; key: string; schema?: string; config?: string },
  ) {}

  async start(port = this.port): Promise<this> {
    const a = this.args;
    const argv = [
      BIN, 'serve', '--schema', a.schema ?? SCHEMA, '--port', String(port), '--api-key', API_KEY, '--jwt-secret', JWT_SECRET,
      '--tls-cert', a.cert, '--tls-key', a.key, '--config', a.config ?? CONFIG, '--database', a.database,
      ...(a.pgSchema ? ['--pg-schema', a.pgSchema] : []),
    ];
    this.child = spawn(process.execPath, argv, { env: { ...process.env, OFFGRID_LOG_LEVEL: DEBUG ? 'info' : 'warn' } });
    this.output = '';
    await new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`offgrid serve did not start:\n${this.output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (DEBUG) process.stderr.write(`[serve] ${chunk}`);
        const m = /offgrid serve: (https:\/\/[^\s/]+)\/graphql/.exec(this.output);
        if (m && !this.url.startsWith(m[1]!)) {
          clearTimeout(timer);
          this.url = `${m[1]!}/graphql`;
          this.port = Number(new URL(m[1]!).port);
          resolvePromise();
        }
      };
      this.child.stdout!.on('data', onData);
      this.child.stderr!.on('data', onData);
      this.child.once('exit', (code) => reject(new Error(`offgrid serve exited with ${code}:\n${this.output}`)));
    });
    return this;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.url = '';
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill('SIGTERM');
    });
  }
}

/** GraphQL over HTTPS, as any other app or back office writes to the server. */
export function gql(
  url: string,
  ca: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { 'x-api-key': API_KEY },
): Promise<{ data?: any; errors?: any[] }> {
  return new Promise((resolvePromise, reject) => {
    const body = JSON.stringify({ query, variables });
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        try {
          resolvePromise(JSON.parse(text));
        } catch {
          reject(new Error(`not JSON (${res.statusCode}): ${text}`));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface ClientEvent {
  event: string;
  [k: string]: any;
}

/** One Amplify DataStore client in its own process (see amplify-client.mjs). */
export class AmplifyClient {
  readonly events: ClientEvent[] = [];
  private readonly pending = new Map<string, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly waiters = new Set<() => void>();
  readonly child: ChildProcess;
  stderr = '';

  constructor(
    readonly name: string,
    caFile: string,
  ) {
    this.child = spawn(process.execPath, [CLIENT], { cwd: ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (c) => {
      this.stderr += c;
      if (this.stderr.length > 200_000) this.stderr = this.stderr.slice(-100_000);
      if (DEBUG) process.stderr.write(`[${name}] ${c}`);
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let message: any;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (DEBUG) process.stderr.write(`[${name}] << ${line.slice(0, 400)}\n`);
      if (message.$id && this.pending.has(message.$id)) {
        const p = this.pending.get(message.$id)!;
        this.pending.delete(message.$id);
        if (message.ok) p.resolve(message.result);
        else p.reject(new Error(`${name}: ${message.error}`));
        return;
      }
      if (message.event) {
        this.events.push(message);
        for (const w of [...this.waiters]) w();
      }
    });
  }

  call<T = any>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
    const id = randomUUID();
    return new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out\n${this.stderr.slice(-3000)}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolvePromise(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.stdin!.write(`${JSON.stringify({ ...args, $id: id, cmd })}\n`);
    });
  }

  /** Waits for an event (already seen or future) that satisfies `match`; returns it. */
  waitFor(match: (e: ClientEvent) => boolean, what: string, timeoutMs = 20_000): Promise<ClientEvent> {
    const found = this.events.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const e = this.events.find(match);
        if (e) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolvePromise(e);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.name}: timed out waiting for ${what}\nlast events: ${JSON.stringify(this.events.slice(-8)).slice(0, 4000)}\nstderr: ${this.stderr.slice(-3000)}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Polls a local query until `match` holds (what the app would see). */
  async until<T = any[]>(cmd: string, args: Record<string, unknown>, match: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    while (Date.now() < deadline) {
      last = await this.call<T>(cmd, args);
      if (match(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name}: timed out waiting for ${what}; last ${cmd}: ${JSON.stringify(last).slice(0, 2000)}\nstderr: ${this.stderr.slice(-3000)}`);
  }

  latestSnapshot(sub: string): ClientEvent | undefined {
    return [...this.events].reverse().find((e) => e.event === 'snapshot' && e.sub === sub);
  }

  /** Amplify's own requests count, from its Hub events: the outbox is empty. */
  outboxEmpty(after = 0): Promise<ClientEvent> {
    return this.waitFor((e) => this.events.indexOf(e) >= after && e.event === 'hub' && e.name === 'outboxStatus' && e.data?.isEmpty === true, 'an empty outbox');
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((r) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        r();
      });
      this.child.stdin!.write(`${JSON.stringify({ $id: 'exit', cmd: 'exit' })}\n`);
    });
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
