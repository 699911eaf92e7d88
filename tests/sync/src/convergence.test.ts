import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from './fault-proxy';
import { createClient, DATABASES, eventually, serverRecords, settled, sleep, startServer, type RunningServer, type TestClient } from './harness';

/**
 * Randomized convergence: several clients go offline and online at random (their OnlineManager, and a
 * fault proxy that drops connections, cuts responses mid-page and mid-push, delays, and makes the server
 * unreachable) while making random creates, updates and deletes on a shared set of records. At the end
 * every client and the server hold the same records, and every write a client made is on the server, or
 * superseded (a delete of the record, a later write of the same client, or a concurrent write of another
 * client that the conflict rule preferred), or was reported to that client as a conflict or a rejection.
 *
 * Seeded: `OFFGRID_CONVERGENCE_SEED=<seed>` replays the same operations and faults (timing still varies,
 * so it is a strong hint rather than an exact replay). The short run is in CI (3 clients x 150 steps, a
 * few seconds per database); `OFFGRID_CONVERGENCE_LONG=1` runs 8 clients x 4,000 steps (minutes);
 * `OFFGRID_CONVERGENCE_CLIENTS` / `OFFGRID_CONVERGENCE_STEPS` override either.
 */

const LONG = process.env.OFFGRID_CONVERGENCE_LONG === '1';
const CONFIG = {
  ...(LONG ? { clients: 8, steps: 4000, sharedIds: 16 } : { clients: 3, steps: 150, sharedIds: 6 }),
  ...(process.env.OFFGRID_CONVERGENCE_CLIENTS ? { clients: Number(process.env.OFFGRID_CONVERGENCE_CLIENTS) } : {}),
  ...(process.env.OFFGRID_CONVERGENCE_STEPS ? { steps: Number(process.env.OFFGRID_CONVERGENCE_STEPS) } : {}),
};
const SEED = Number(process.env.OFFGRID_CONVERGENCE_SEED ?? Date.now() % 1_000_000);

/** mulberry32: small, fast, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = ['title', 'note', 'priority', 'done'] as const;
type Field = (typeof FIELDS)[number];

interface Write {
  client: number;
  id: string;
  op: 'create' | 'update' | 'delete';
  fields: Partial<Record<Field, unknown>>;
  at: number;
}

interface Report {
  client: number;
  id: string;
  kind: string;
  at: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

describe.each(DATABASES)('randomized convergence on %s', (kind) => {
  let server: RunningServer;
  beforeAll(async () => {
    // Every client comes from 127.0.0.1: the per-address rate limit would only slow the run down.
    server = await startServer(kind, { limits: { maxRequestsPerSecond: 100_000 } });
  });
  afterAll(async () => {
    await server.close();
  });

  it(`${CONFIG.clients} clients, ${CONFIG.steps} random steps each, flapping and faults: all converge, no write lost silently (seed ${SEED})`, async () => {
    const started = Date.now();
    const writes: Write[] = [];
    const reports: Report[] = [];
    const faults: Record<string, number> = {};
    const fault = (name: string) => (faults[name] = (faults[name] ?? 0) + 1);
    const proxies: FaultProxy[] = [];
    const clients: TestClient[] = [];
    for (let i = 0; i < CONFIG.clients; i++) {
      const p = await FaultProxy.start(server.url);
      const c = createClient(p.graphqlUrl, { sync: { pushBatchSize: 1 + (i % 3) * 10, pageSize: 7 + i * 5 } });
      c.store.events$.subscribe((e: any) => {
        if (e.event === 'conflict') reports.push({ client: i, id: e.data.key, kind: `conflict:${e.data.resolution}`, at: Date.now() });
        if (e.event === 'outboxMutationFailed') reports.push({ client: i, id: String(e.data.element.id), kind: `rejected:${e.data.error.errorType}`, at: Date.now() });
      });
      proxies.push(p);
      clients.push(c);
    }
    try {
      await Promise.all(clients.map((c) => c.store.start()));

      const run = async (i: number) => {
        const random = rng(SEED * 31 + i);
        const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
        const c = clients[i]!;
        const p = proxies[i]!;
        const { Todo } = c.store.models;
        let created = 0;
        const value = (f: Field): unknown =>
          f === 'priority' ? Math.floor(random() * 1000) : f === 'done' ? random() < 0.5 : `${f}-${i}-${Math.floor(random() * 1e6)}`;
        for (let step = 0; step < CONFIG.steps; step++) {
          const r = random();
          const local = await c.store.query(Todo);
          if (r < 0.35 && local.length > 0) {
            const target = pick(local) as any;
            const changed = [...new Set([pick(FIELDS), pick(FIELDS)])];
            const fields: Write['fields'] = {};
            for (const f of changed) fields[f] = value(f);
            writes.push({ client: i, id: target.id, op: 'update', fields, at: Date.now() });
            await c.store.save(Todo.copyOf(target, (d: any) => Object.assign(d, fields)));
          } else if (r < 0.5) {
            const id = random() < 0.3 ? `shared-${Math.floor(random() * CONFIG.sharedIds)}` : `c${i}-${created++}`;
            if (local.some((t: any) => t.id === id)) continue;
            const fields: Write['fields'] = { title: value('title'), note: value('note'), priority: value('priority') };
            writes.push({ client: i, id, op: 'create', fields, at: Date.now() });
            await c.store.save(new Todo({ id, ...fields }));
          } else if (r < 0.58 && local.length > 0) {
            const target = pick(local) as any;
            writes.push({ client: i, id: target.id, op: 'delete', fields: {}, at: Date.now() });
            await c.store.delete(Todo, target.id);
          } else if (r < 0.66) {
            fault('offline');
            c.online.setOnline(false);
            setTimeout(() => c.online.setOnline(true), 20 + random() * 200);
          } else if (r < 0.7) {
            fault('drop connections');
            p.dropAll();
          } else if (r < 0.72) {
            fault('server unreachable');
            p.setUnreachable(true);
            setTimeout(() => p.setUnreachable(false), 50 + random() * 250);
          } else if (r < 0.75) {
            fault('cut mid-push');
            void p.cutResponse('pushMutations', Math.floor(random() * 300));
          } else if (r < 0.77) {
            fault('cut mid-page');
            void p.cutResponse('syncTodos', Math.floor(random() * 600));
          } else if (r < 0.8) {
            fault('delay toggled');
            p.setDelay(random() < 0.5 ? 0 : Math.floor(random() * 15));
          }
          await sleep(random() * 12);
        }
      };
      await Promise.all(clients.map((_, i) => run(i)));

      // Quiet network: everything drains and syncs.
      await sleep(400);
      for (let i = 0; i < clients.length; i++) {
        proxies[i]!.setUnreachable(false);
        proxies[i]!.setDelay(0);
        clients[i]!.online.setOnline(true);
      }
      /** Settles every client, or fails with what each one is stuck on. */
      const settleAll = () =>
        Promise.all(
          clients.map((c, i) =>
            settled(c, LONG ? 180_000 : 60_000).catch(async (error) => {
              const engine = (c.store as any).engine;
              const outbox = (await c.store.pendingMutations()).map((e) => `${e.operation} ${e.key} ${e.status} ${e.error?.errorType ?? ''}`);
              const lastErrors = c.events.filter((e) => e.event === 'syncError').slice(-3).map((e) => e.data.message);
              throw new Error(`client ${i}: ${(error as Error).message}; state ${JSON.stringify(engine.currentStatus)} socketUp ${engine.socketUp} synced ${c.store.isSynced('Todo')}; outbox ${JSON.stringify(outbox.slice(0, 10))} (${outbox.length}); last errors ${JSON.stringify(lastErrors)}`);
            }),
          ),
        );
      await settleAll();
      // Rejections were reported (events); the app drops them, which re-syncs the server's copy.
      for (const c of clients) for (const dead of await c.store.deadLetters()) await c.store.discardDeadLetter(dead);
      await settleAll();

      const pick = (r: any) => ({ title: r.title ?? null, note: r.note ?? null, priority: r.priority ?? null, done: r.done ?? null, _version: r._version });
      let onServer = new Map<string, any>();
      await eventually(
        async () => {
          onServer = await serverRecords(server);
          const live = [...onServer.values()].filter((r) => !r._deleted);
          const expected = Object.fromEntries(live.map((r) => [r.id, pick(r)]));
          const diffs: string[] = [];
          for (const [i, c] of clients.entries()) {
            const mine = Object.fromEntries((await c.store.query(c.store.models.Todo)).map((r: any) => [r.id, pick(r)]));
            for (const id of new Set([...Object.keys(mine), ...Object.keys(expected)])) {
              if (!same(mine[id], expected[id])) diffs.push(`client ${i} ${id}: ${JSON.stringify(mine[id])} != server ${JSON.stringify(onServer.get(id))} (outbox ${JSON.stringify((await c.store.pendingMutations()).filter((e) => e.key === id))})`);
            }
          }
          if (diffs.length > 0) throw new Error(diffs.join('\n'));
        },
        15_000,
        'every client to hold the server records',
      );

      // Every write is on the server, superseded, or reported.
      const lost: string[] = [];
      for (const w of writes) {
        const final = onServer.get(w.id);
        const reported = reports.some((r) => r.client === w.client && r.id === w.id && r.at >= w.at);
        if (reported) continue;
        if (w.op === 'delete') {
          if (!final || final._deleted) continue;
          // Re-created after the delete (the delete never left the client, or another client created it).
          if (writes.some((o) => o.id === w.id && o.op === 'create' && (o.client !== w.client || o.at > w.at))) continue;
          lost.push(`client ${w.client} delete ${w.id}: the server still has it (${JSON.stringify(final)})`);
          continue;
        }
        if (!final) {
          // Never reached the server: fine only if the same client deleted it before it was sent.
          if (writes.some((d) => d.client === w.client && d.id === w.id && d.op === 'delete' && d.at >= w.at)) continue;
          lost.push(`client ${w.client} ${w.op} ${w.id}: not on the server`);
          continue;
        }
        if (final._deleted) {
          if (writes.some((d) => d.id === w.id && d.op === 'delete')) continue;
          lost.push(`${w.id} is deleted on the server but no client deleted it`);
          continue;
        }
        // Deleted afterwards by its own client, or by another (and then re-created).
        if (writes.some((o) => o.id === w.id && o.op === 'delete' && (o.client !== w.client || o.at > w.at))) continue;
        for (const [f, v] of Object.entries(w.fields) as Array<[Field, unknown]>) {
          if (same(final[f], v)) continue;
          const superseded = writes.some(
            (o) => o !== w && o.id === w.id && f in o.fields && same(o.fields[f], final[f]) && (o.client !== w.client || o.at > w.at),
          );
          if (superseded) continue;
          lost.push(`client ${w.client} ${w.op} ${w.id}.${f}=${JSON.stringify(v)}: the server has ${JSON.stringify(final[f])}, written by no concurrent or later write`);
        }
      }
      // And the server invented nothing: each live field value was written by someone.
      for (const r of onServer.values()) {
        if (r._deleted) continue;
        for (const f of FIELDS) {
          if (r[f] === null || r[f] === undefined) continue;
          if (!writes.some((w) => w.id === r.id && f in w.fields && same(w.fields[f], r[f]))) lost.push(`${r.id}.${f}=${JSON.stringify(r[f])} on the server was never written`);
        }
      }
      const summary = {
        database: kind,
        seed: SEED,
        clients: CONFIG.clients,
        steps: CONFIG.steps * CONFIG.clients,
        writes: { total: writes.length, create: writes.filter((w) => w.op === 'create').length, update: writes.filter((w) => w.op === 'update').length, delete: writes.filter((w) => w.op === 'delete').length },
        faults,
        reports: reports.reduce<Record<string, number>>((acc, r) => ((acc[r.kind] = (acc[r.kind] ?? 0) + 1), acc), {}),
        records: { live: [...onServer.values()].filter((r) => !r._deleted).length, deleted: [...onServer.values()].filter((r) => r._deleted).length },
        seconds: Math.round((Date.now() - started) / 100) / 10,
        lost: lost.length,
      };
      console.log(`convergence ${JSON.stringify(summary)}`);
      if (lost.length > 0) {
        // The history of each record involved, to read a failure without re-running it.
        const ids = new Set(lost.map((l) => /(?:update|create|delete) (\S+?)[.:]|^(\S+?)[.: ]/.exec(l.replace(/^client \d+ /, ''))?.[1] ?? ''));
        for (const id of ids) {
          console.log(`history of ${id}:`, JSON.stringify({ writes: writes.filter((w) => w.id === id).map((w) => ({ ...w, at: w.at - started })), reports: reports.filter((r) => r.id === id).map((r) => ({ ...r, at: r.at - started })), server: onServer.get(id) }, null, 1));
        }
      }
      expect(lost).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.store.close().catch(() => undefined)));
      await Promise.all(proxies.map((p) => p.close()));
    }
  }, LONG ? 30 * 60_000 : 120_000);
});
