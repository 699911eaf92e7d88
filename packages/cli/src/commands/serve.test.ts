import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Pool } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const BIN = resolve(__dirname, '../../bin/offgrid.js');
const SCHEMA = resolve(__dirname, '../../../../examples/todo.graphql');
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const children: ChildProcess[] = [];

/** Starts `offgrid serve` as a real process and waits for the URL it prints. */
function startServe(args: string[], logLevel = 'warn'): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--schema', SCHEMA, '--port', '0', '--api-key', 'dev-key', ...args], {
    env: { ...process.env, OFFGRID_LOG_LEVEL: logLevel },
  });
  children.push(child);
  let out = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`offgrid serve did not start:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /offgrid serve: (http:\/\/[^\s/]+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ url: m[1]!, child, output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`offgrid serve exited with ${code}:\n${out}`)));
  });
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'dev-key' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as any;
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => {
    if (child.exitCode !== null) return r(child.exitCode);
    child.once('exit', (code) => r(code));
    child.kill('SIGTERM');
  });
}

afterAll(async () => {
  await Promise.all(children.map(stop));
});

describe('offgrid serve', () => {
  it('starts on an embedded SQLite file, creates and syncs a record, and keeps it across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offgrid-cli-'));
    const db = join(dir, 'data.sqlite');
    try {
      const first = await startServe(['--database', db]);
      const created = await gql(first.url, 'mutation { createTodo(input: { id: "t1", title: "Buy milk", done: false }) { id title _version } }');
      expect(created.data.createTodo).toEqual({ id: 't1', title: 'Buy milk', _version: 1 });
      expect(await stop(first.child)).toBe(0);
      const second = await startServe(['--database', db]);
      const synced = await gql(second.url, 'query { syncTodos(limit: 100) { items { id title _version _deleted } startedAt } }');
      expect(synced.data.syncTodos.items).toEqual([{ id: 't1', title: 'Buy milk', _version: 1, _deleted: false }]);
      expect(synced.data.syncTodos.startedAt).toBeGreaterThan(0);
      await stop(second.child);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad schema with the line, column and what to change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offgrid-cli-'));
    const bad = join(dir, 'bad.graphql');
    writeFileSync(bad, 'type Todo @model {\n  id: ID!\n  title: Strng\n}\n');
    const child = spawn(process.execPath, [BIN, 'serve', '--schema', bad, '--port', '0']);
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const code = await new Promise((r) => child.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(err).toMatch(/bad\.graphql:3:10: .*Strng/);
  });

  it('two processes on one PostgreSQL: a write accepted by one reaches a subscriber of the other', async () => {
    const pgSchema = `offgrid_cli_${randomBytes(5).toString('hex')}`;
    const pool = new Pool({ connectionString: DATABASE_URL, max: 1 });
    try {
      const a = await startServe(['--database', DATABASE_URL, '--pg-schema', pgSchema]);
      const b = await startServe(['--database', DATABASE_URL, '--pg-schema', pgSchema]);
      const client = createClient({ url: `${b.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': 'dev-key' } });
      const received = new Promise<any>((resolveReceived, reject) => {
        client.subscribe({ query: 'subscription { onCreateTodo { id title _version } }' }, { next: (v) => resolveReceived(v.data), error: reject, complete: () => undefined });
      });
      // Give the subscription a moment to be registered on B before writing on A.
      await new Promise((r) => setTimeout(r, 300));
      const created = await gql(a.url, 'mutation { createTodo(input: { id: "x1", title: "from A", done: false }) { id } }');
      expect(created.errors).toBeUndefined();
      await expect(received).resolves.toEqual({ onCreateTodo: { id: 'x1', title: 'from A', _version: 1 } });
      await client.dispose();
      await Promise.all([stop(a.child), stop(b.child)]);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      await pool.end();
    }
  });

  describe('shutdown', () => {
    const exited = (child: ChildProcess) => new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    /** A WebSocket client that completes the upgrade, then never answers the server's close frame. */
    async function stubbornWebSocket(url: string) {
      const { host, port } = new URL(url);
      const socket = connect(Number(port), host.split(':')[0]);
      let received = '';
      socket.on('data', (c) => (received += c.toString('latin1')));
      socket.on('error', () => undefined);
      socket.write(
        'GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
      );
      await waitUntil(() => received.includes('101 Switching Protocols'));
      // A close frame from the server starts with 0x88.
      return { socket, gotCloseFrame: () => received.includes('\x88') };
    }
    async function waitUntil(condition: () => boolean, what = 'condition') {
      const deadline = Date.now() + 10_000;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it('exits cleanly on SIGTERM after its stdout pipe was closed (log writes fail with EPIPE)', async () => {
      const s = await startServe(['--database', ':memory:', '--shutdown-timeout', '5'], 'debug');
      s.child.stdout!.destroy();
      // Requests log at debug: these writes hit the closed pipe before the signal does.
      await gql(s.url, 'mutation { createTodo(input: { id: "epipe", title: "x", done: false }) { id } }');
      await gql(s.url, 'query { getTodo(id: "epipe") { id } }');
      const exit = exited(s.child);
      s.child.kill('SIGTERM');
      expect(await exit).toEqual({ code: 0, signal: null });
    });

    it('cuts a WebSocket that ignores its close frame at --shutdown-timeout and still exits cleanly', async () => {
      const s = await startServe(['--database', ':memory:', '--shutdown-timeout', '1'], 'info');
      const ws = await stubbornWebSocket(s.url);
      const exit = exited(s.child);
      s.child.kill('SIGTERM');
      expect(await exit).toEqual({ code: 0, signal: null });
      expect(ws.gotCloseFrame()).toBe(true);
      expect(s.output()).toMatch(/still open after 1000 ms \(shutdownTimeoutMs\); cutting them/);
      ws.socket.destroy();
    });

    it('exits at once, with 1, on a second SIGTERM while a WebSocket client holds shutdown open', async () => {
      const s = await startServe(['--database', ':memory:', '--shutdown-timeout', '120'], 'info');
      const ws = await stubbornWebSocket(s.url);
      const exit = exited(s.child);
      s.child.kill('SIGTERM');
      // Shutdown has begun and is waiting on the client, which got its close frame and ignores it.
      await waitUntil(() => ws.gotCloseFrame() && /shutting down/.test(s.output()), 'shutdown to start');
      expect(s.child.exitCode).toBeNull();
      s.child.kill('SIGTERM');
      expect(await exit).toEqual({ code: 1, signal: null });
      expect(s.output()).toMatch(/second signal/);
      ws.socket.destroy();
    });

    it('puts /metrics behind --metrics-token', async () => {
      const s = await startServe(['--database', ':memory:', '--metrics-token', 'scraper-token-0123456789']);
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer scraper-token-0123456789' } })).status).toBe(200);
      await stop(s.child);
    });

    it('serves /metrics on --metrics-port only, and prints where', async () => {
      const s = await startServe(['--database', ':memory:', '--metrics-port', '0']);
      // Printed a line after the API's address, which is all startServe waits for.
      const line = /metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/;
      await waitUntil(() => line.test(s.output()), 'the metrics line');
      const printed = line.exec(s.output());
      expect(printed).not.toBeNull();
      expect((await fetch(`${printed![1]}/metrics`)).status).toBe(200);
      expect((await fetch(`${s.url}/metrics`)).status).toBe(404);
      await stop(s.child);
    });

    it('refuses a --metrics-port that is not a port, and --metrics-host without it', async () => {
      for (const [args, message] of [
        [['--metrics-port', 'nine'], /--metrics-port must be a number from 0 to 65535, got "nine"/],
        [['--metrics-host', '10.0.0.5'], /--metrics-host goes with --metrics-port/],
      ] as const) {
        const child = spawn(process.execPath, [BIN, 'serve', '--schema', SCHEMA, ...args]);
        let err = '';
        child.stderr.on('data', (c) => (err += c));
        expect((await exited(child)).code).toBe(2);
        expect(err).toMatch(message);
      }
    });

    it('refuses a --shutdown-timeout that is not a number of seconds', async () => {
      const child = spawn(process.execPath, [BIN, 'serve', '--schema', SCHEMA, '--shutdown-timeout', 'soon']);
      let err = '';
      child.stderr.on('data', (c) => (err += c));
      expect((await exited(child)).code).toBe(2);
      expect(err).toMatch(/--shutdown-timeout must be a number of seconds, 0 or more .*got "soon"/);
    });
  });
});
