import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostgresRecordStore } from '../store/postgres-record-store';
import { TEST_DATABASE_URL, createTestPostgresStore, dropTestSchemas, testSchemaName } from '../store/postgres-test-support';
import { contractSchema, recordWrite } from '../store/record-store.contract';
import type { ServerRecord } from '../store/record-store';
import { MAX_NOTIFY_PAYLOAD_BYTES, PostgresChangeBus, encodeChangeNotifications } from './postgres-change-bus';

afterAll(dropTestSchemas);

async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('encodeChangeNotifications', () => {
  it('splits items into payloads under the NOTIFY limit, keeping every item once and in order', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ model: 'Todo', key: `${'k'.repeat(60)}-${i}`, seq: i + 1 }));
    const { payloads, tooLarge } = encodeChangeNotifications('origin-1', items);
    expect(tooLarge).toEqual([]);
    expect(payloads.length).toBeGreaterThan(5);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_NOTIFY_PAYLOAD_BYTES);
    const decoded = payloads.map((p) => JSON.parse(p) as { origin: string; items: unknown[] });
    expect(decoded.every((d) => d.origin === 'origin-1')).toBe(true);
    expect(decoded.flatMap((d) => d.items)).toEqual(items);
  });

  it('reports an item too large for any payload', () => {
    const { payloads, tooLarge } = encodeChangeNotifications('o', [
      { model: 'Todo', key: 'x'.repeat(9000), seq: 1 },
      { model: 'Todo', key: 'ok', seq: 2 },
    ]);
    expect(tooLarge.map((i) => i.seq)).toEqual([1]);
    expect(payloads).toHaveLength(1);
  });
});

describe('PostgresChangeBus (two processes simulated in one)', () => {
  let schema: string;
  let storeA: PostgresRecordStore;
  let storeB: PostgresRecordStore;
  let busA: PostgresChangeBus;
  let busB: PostgresChangeBus;
  const errors: unknown[] = [];

  beforeEach(async () => {
    schema = testSchemaName();
    storeA = createTestPostgresStore({ schema, max: 4 });
    storeB = createTestPostgresStore({ schema, max: 4 });
    await storeA.migrate(contractSchema);
    await storeB.migrate(contractSchema);
    busA = new PostgresChangeBus({ connectionString: TEST_DATABASE_URL, store: storeA, onError: (e) => errors.push(e) });
    busB = new PostgresChangeBus({
      connectionString: TEST_DATABASE_URL,
      store: storeB,
      reconnectMinDelayMs: 20,
      onError: (e) => errors.push(e),
    });
    await Promise.all([busA.ready(), busB.ready()]);
    errors.length = 0;
  });

  afterEach(async () => {
    await Promise.all([busA.close(), busB.close()]);
    await Promise.all([storeA.close(), storeB.close()]);
  });

  it('delivers a publish locally at once and to the other process with the full record', async () => {
    expect(busA.origin).not.toBe(busB.origin);
    expect(busA.channel).toBe(`offgrid_changes_${schema}`);
    const onA: ServerRecord[][] = [];
    const onB: ServerRecord[][] = [];
    busA.subscribe((records) => onA.push(records));
    busB.subscribe((records) => onB.push(records));

    const { written } = await storeA.transaction((tx) =>
      tx.insert(recordWrite('Todo', 't1', { title: 'from A', done: false, tags: ['x'] }, { lastChangedAt: 1234 })),
    );
    busA.publish(written);
    expect(onA).toEqual([written]); // synchronous local delivery

    await waitFor(() => onB.length > 0, 10_000, 'delivery to B');
    expect(onB).toEqual([written]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onA).toHaveLength(1); // A ignores its own notification
    expect(onB).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('delivers a batch too big for one notification, each record once, in order', async () => {
    const onB: ServerRecord[] = [];
    busB.subscribe((records) => onB.push(...records));
    const { written } = await storeA.transaction(async (tx) => {
      for (let i = 0; i < 400; i++) await tx.insert(recordWrite('Todo', `${'key'.repeat(20)}-${i}`, { title: `${i}` }));
    });
    busA.publish(written);
    await waitFor(() => onB.length >= 400, 10_000, '400 records on B');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onB).toEqual(written);
  });

  it('delivers each committed state at most once and always the newest', async () => {
    const onB: ServerRecord[] = [];
    busB.subscribe((records) => onB.push(...records));
    const first = await storeA.transaction((tx) => tx.insert(recordWrite('Todo', 'hot', { title: 'v1' })));
    const second = await storeA.transaction((tx) => tx.update(recordWrite('Todo', 'hot', { title: 'v2' }, { version: 2 }), 1));
    // Both announcements arrive after v2 committed: B loads v2 for the first and skips the second.
    busA.publish(first.written);
    busA.publish(second.written);
    await waitFor(() => onB.some((r) => r.version === 2), 10_000, 'v2 on B');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(onB).toEqual([second.written[0]]);
  });

  it('hands records from other processes to several listeners and stops after unsubscribe', async () => {
    const one: ServerRecord[] = [];
    const two: ServerRecord[] = [];
    busB.subscribe((records) => one.push(...records));
    const unsubscribe = busB.subscribe((records) => two.push(...records));
    const a = await storeA.transaction((tx) => tx.insert(recordWrite('Note', 'n1', { body: 'x' })));
    busA.publish(a.written);
    await waitFor(() => one.length === 1 && two.length === 1, 10_000, 'both listeners');
    unsubscribe();
    const b = await storeA.transaction((tx) => tx.insert(recordWrite('Note', 'n2', { body: 'y' })));
    busA.publish(b.written);
    await waitFor(() => one.length === 2, 10_000, 'second record');
    expect(two).toHaveLength(1);
  });

  it('reconnects its LISTEN connection after the server drops it', async () => {
    let reconnects = 0;
    const bus = new PostgresChangeBus({
      connectionString: TEST_DATABASE_URL,
      store: storeB,
      reconnectMinDelayMs: 20,
      onReconnect: () => reconnects++,
      onError: () => undefined,
    });
    try {
      await bus.ready();
      const received: ServerRecord[] = [];
      bus.subscribe((records) => received.push(...records));
      const admin = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
      try {
        const killed = await admin.query(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
          [bus.applicationName],
        );
        expect(killed.rows).toEqual([{ ok: true }]);
      } finally {
        await admin.end();
      }
      await waitFor(() => reconnects === 1 && bus.listening, 10_000, 'reconnect');
      const { written } = await storeA.transaction((tx) => tx.insert(recordWrite('Todo', 'after', { title: 'reconnected' })));
      busA.publish(written);
      await waitFor(() => received.length === 1, 10_000, 'delivery after reconnect');
      expect(received).toEqual(written);
    } finally {
      await bus.close();
    }
  });

  it('queues its own announcements while disconnected and sends them after reconnecting', async () => {
    const onA: ServerRecord[] = [];
    busA.subscribe((records) => onA.push(...records));
    const admin = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    try {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [busB.applicationName]);
    } finally {
      await admin.end();
    }
    await waitFor(() => !busB.listening, 5_000, 'B to notice the drop');
    const { written } = await storeB.transaction((tx) => tx.insert(recordWrite('Todo', 'offline', { title: 'queued' })));
    busB.publish(written);
    await waitFor(() => onA.length === 1, 10_000, 'queued announcement on A');
    expect(onA).toEqual(written);
  });
});

/** Bundles a TypeScript entry for a child `node` process (esbuild comes with vite, which vitest uses). */
async function bundleChild(source: string, outfile: string): Promise<void> {
  const requireFromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
  const requireFromVite = createRequire(requireFromVitest.resolve('vite/package.json'));
  const esbuild = requireFromVite('esbuild') as { build(options: Record<string, unknown>): Promise<unknown> };
  await esbuild.build({
    stdin: { contents: source, resolveDir: dirname(fileURLToPath(import.meta.url)), loader: 'ts', sourcefile: 'child.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['pg-native'],
    logLevel: 'silent',
  });
}

const CHILD_SOURCE = `
import { createInterface } from 'node:readline';
import { PostgresRecordStore } from '../store/postgres-record-store';
import { PostgresChangeBus } from './postgres-change-bus';

async function main() {
  const [connectionString, schema] = process.argv.slice(2);
  const store = new PostgresRecordStore({ connectionString: connectionString!, schema: schema!, max: 2 });
  const bus = new PostgresChangeBus({ connectionString: connectionString!, store });
  bus.subscribe((records) => console.log(JSON.stringify({ received: records })));
  await bus.ready();
  console.log(JSON.stringify({ ready: bus.origin }));
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'write') {
      const { written } = await store.transaction((tx) =>
        tx.insert({ model: 'Todo', key: 'from-child', data: { id: 'from-child', title: 'child ' + process.pid }, version: 1,
          deleted: false, lastChangedAt: Date.now(), fieldVersions: { title: 1 } }),
      );
      bus.publish(written);
      console.log(JSON.stringify({ published: written }));
    }
    if (line === 'exit') break;
  }
  await bus.close();
  await store.close();
}
main().catch((error) => { console.error(error); process.exit(1); });
`;

describe('PostgresChangeBus across two OS processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'offgrid-bus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carries records both ways between a child process and this one', async () => {
    const outfile = join(dir, 'child.cjs');
    await bundleChild(CHILD_SOURCE, outfile);
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');

    const schema = testSchemaName();
    const store = createTestPostgresStore({ schema, max: 2 });
    await store.migrate(contractSchema);
    const bus = new PostgresChangeBus({ connectionString: TEST_DATABASE_URL, store });
    await bus.ready();
    const here: ServerRecord[] = [];
    bus.subscribe((records) => here.push(...records));

    const child = spawn(process.execPath, [outfile, TEST_DATABASE_URL, schema], { stdio: ['pipe', 'pipe', 'pipe'] });
    const messages: Array<Record<string, unknown>> = [];
    let stderr = '';
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        messages.push(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
        buffered = buffered.slice(newline + 1);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor(() => messages.some((m) => m.ready), 15_000, `child ready (stderr: ${stderr})`);
      const childOrigin = messages.find((m) => m.ready)!.ready;
      expect(childOrigin).not.toBe(bus.origin);
      expect(child.pid).not.toBe(process.pid);

      // Parent -> child.
      const { written } = await store.transaction((tx) => tx.insert(recordWrite('Todo', 'from-parent', { title: 'parent' })));
      bus.publish(written);
      await waitFor(() => messages.some((m) => m.received), 10_000, 'child to receive');
      expect(messages.find((m) => m.received)!.received).toEqual(written);

      // Child -> parent.
      child.stdin.write('write\n');
      await waitFor(() => here.some((r) => r.key === 'from-child'), 10_000, 'parent to receive');
      const published = messages.find((m) => m.published)!.published as ServerRecord[];
      expect(here.filter((r) => r.key === 'from-child')).toEqual(published);
      expect(published[0]!.data.title).toBe(`child ${child.pid}`);

      child.stdin.end('exit\n');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill();
      await bus.close();
      await store.close();
    }
  }, 30_000);
});
