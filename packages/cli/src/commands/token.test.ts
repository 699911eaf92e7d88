import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../../bin/offgrid.js');
const dir = mkdtempSync(join(tmpdir(), 'offgrid-cli-token-'));
const SCHEMA = join(dir, 'schema.graphql');
writeFileSync(
  SCHEMA,
  `type Note @model @auth(rules: [{ allow: owner }]) { id: ID! text: String }
   type Report @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) { id: ID! title: String }
`,
);
const children: ChildProcess[] = [];

/** Runs `offgrid <args>` to its end. */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, OFFGRID_JWT_SECRET: undefined, ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  return new Promise((r) => child.on('exit', (code) => r({ code, out, err })));
}

/** Starts `offgrid serve` and waits for its URL. */
function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; port: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--schema', SCHEMA, '--database', ':memory:', ...args], {
    env: { ...process.env, OFFGRID_LOG_LEVEL: 'warn', OFFGRID_JWT_SECRET: undefined, ...env },
  });
  children.push(child);
  let out = '';
  return new Promise((resolveStart, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /offgrid serve: (http:\/\/[^\s/]+:(\d+))\/graphql/.exec(out);
      if (m) resolveStart({ url: m[1]!, port: m[2]! });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`offgrid serve exited with ${code}:\n${out}`)));
  });
}

async function gql(url: string, token: string, query: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('offgrid token', () => {
  it('mints tokens the server accepts for owner and group rules, with the secret from OFFGRID_JWT_SECRET', async () => {
    const env = { OFFGRID_JWT_SECRET: 'a-dev-secret-for-this-test' };
    const { url } = await serve(['--port', '0'], env);
    const alice = await run(['token', '--sub', 'alice'], env);
    const bob = await run(['token', '--sub', 'bob', '--group', 'Admin', '--expires', '10m'], env);
    expect(alice.code).toBe(0);
    expect(bob.code).toBe(0);
    const aliceToken = alice.out.trim();
    const bobToken = bob.out.trim();

    const created = await gql(url, aliceToken, 'mutation { createNote(input: { id: "n1", text: "mine" }) { id owner } }');
    expect(created.body.data.createNote).toEqual({ id: 'n1', owner: 'alice' });
    expect((await gql(url, bobToken, 'query { getNote(id: "n1") { id } }')).body.data?.getNote ?? null).toBeNull();
    expect((await gql(url, aliceToken, 'query { getNote(id: "n1") { text } }')).body.data.getNote).toEqual({ text: 'mine' });

    const report = await gql(url, bobToken, 'mutation { createReport(input: { id: "r1", title: "q3" }) { id } }');
    expect(report.body.data.createReport).toEqual({ id: 'r1' });
    const refused = await gql(url, aliceToken, 'mutation { createReport(input: { id: "r2", title: "no" }) { id } }');
    expect(refused.body.errors?.[0]?.errorType).toBe('Unauthorized');

    const forged = await run(['token', '--sub', 'alice', '--jwt-secret', 'another-secret']);
    expect((await gql(url, forged.out.trim(), 'query { getNote(id: "n1") { id } }')).status).toBe(401);
  });

  it('refuses to run without a secret, or with an empty one, saying what to set', async () => {
    const missing = await run(['token', '--sub', 'alice']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/OFFGRID_JWT_SECRET/);
    const empty = await run(['token', '--sub', 'alice', '--jwt-secret', '']);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/--jwt-secret is empty/);
  });
});

describe('offgrid serve', () => {
  it('refuses an empty --jwt-secret (an unset shell variable) instead of running with JWT auth off', async () => {
    const result = await run(['serve', '--schema', SCHEMA, '--database', ':memory:', '--port', '0', '--jwt-secret', '']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--jwt-secret is empty.*export OFFGRID_JWT_SECRET=/);
  });

  it('a port in use says to pass another --port', async () => {
    const { port } = await serve(['--port', '0', '--api-key', 'k']);
    const second = await run(['serve', '--schema', SCHEMA, '--database', ':memory:', '--api-key', 'k', '--port', port]);
    expect(second.code).toBe(2);
    expect(second.err).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(second.err).toContain('--port');
  });
});
