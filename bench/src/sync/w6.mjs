/**
 * W6: a write on client A -> visible in client B's `observeQuery`. A and B are Offgrid clients on SQLite
 * (temp files) synced with one Offgrid server (SQLite store, its own process). B watches
 * `owner = "owner-00"`; A updates records of that owner one at a time (200 writes), each setting a unique
 * `changedAt`; latency = from A's `save` call to B's snapshot holding the new value.
 * Same run, same writes: a raw graphql-ws subscriber to onUpdateItem (the fan-out client of the server
 * group) gives the floor: the server's own push path with no client store behind it.
 * Second round: 100 more clients (MemoryAdapter, each its own WebSocket) watch the same query; latency =
 * A's save -> the last of the 101 watching clients.
 */
import { makeRecords, ownerName } from '../data.mjs';
import { percentile } from '../stats.mjs';
import { progress, round, startServer } from '../server/harness.mjs';
import { syncSizes } from '../server/net-config.mjs';
import { openRawSubscribers } from '../server/fanout.mjs';
import { openClient } from './client.mjs';

const OWNER = ownerName(0);

function watch(client, onItems) {
  const sub = client.store.observeQuery(client.Item, (p) => p.owner.eq(OWNER)).subscribe(({ items }) => onItems(items));
  return () => sub.unsubscribe();
}

async function round_(a, watchers, raw, targets, writes, label) {
  const latencies = [];
  const rawLatencies = [];
  let pending;
  const stops = watchers.map((w, i) =>
    watch(w, (items) => {
      const p = pending;
      if (!p || p.waiting.size === 0 || !p.waiting.has(i)) return;
      if (items.some((it) => it.id === p.id && it.changedAt === p.marker)) {
        p.waiting.delete(i);
        if (p.waiting.size === 0) p.resolve(performance.now());
      }
    }),
  );
  try {
    for (let i = 0; i < writes; i++) {
      const target = targets[i % targets.length];
      const current = await a.store.query(a.Item, target.id);
      const marker = new Date(Date.UTC(2032, 0, 1) + i * 1000 + (label.length % 7)).toISOString();
      let resolve;
      const done = new Promise((r) => (resolve = r));
      pending = { id: target.id, marker, waiting: new Set(watchers.map((_, k) => k)), resolve };
      const rawDone = Promise.all(raw.map((s) => new Promise((r) => ((s.marker = marker), (s.received = undefined), (s.onAll = r)))));
      const t0 = performance.now();
      await a.store.save(a.Item.copyOf(current, (d) => void (d.changedAt = marker)));
      let timer;
      const end = await Promise.race([Promise.all([done, rawDone]).then(([at]) => at), new Promise((r) => (timer = setTimeout(() => r(undefined), 15_000)))]);
      clearTimeout(timer);
      if (end === undefined) throw new Error(`W6 ${label}: write ${i} not visible on ${pending.waiting.size} of ${watchers.length} clients within 15 s`);
      latencies.push(end - t0);
      const rawAt = raw[0]?.received;
      if (rawAt !== undefined) rawLatencies.push(rawAt - t0);
    }
  } finally {
    pending = undefined;
    for (const stop of stops) stop();
  }
  return {
    writes: latencies.length,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    raw: rawLatencies.length ? { n: rawLatencies.length, p50: round(percentile(rawLatencies, 50)), p99: round(percentile(rawLatencies, 99)) } : undefined,
  };
}

export async function runW6() {
  const { load } = makeRecords();
  const records = load.slice(0, 500);
  const targets = records.filter((r) => r.owner === OWNER);
  const server = await startServer({ db: 'sqlite' });
  const clients = [];
  let raw = [];
  try {
    await server.seed(records);
    const a = await openClient(server.graphql, { adapter: 'sqlite' });
    const b = await openClient(server.graphql, { adapter: 'sqlite' });
    clients.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    raw = await openRawSubscribers(server.graphql, 1);
    // Warm-up (untimed): 10 writes.
    await round_(a, [b], raw, targets, 10, 'warm-up');
    const one = await round_(a, [b], raw, targets, syncSizes.w6Writes, 'A->B');
    progress('W6', `A -> B observeQuery p50 ${one.p50} ms, p99 ${one.p99} ms; raw subscriber p50 ${one.raw?.p50} ms`);

    const more = [];
    for (let i = 0; i < syncSizes.w6Clients; i++) more.push(await openClient(server.graphql, { adapter: 'memory' }));
    clients.push(...more);
    await Promise.all(more.map((c) => c.ready()));
    const many = await round_(a, [b, ...more], raw, targets, syncSizes.w6Writes, 'A->101');
    progress('W6', `A -> last of ${more.length + 1} clients p50 ${many.p50} ms, p99 ${many.p99} ms; raw subscriber p50 ${many.raw?.p50} ms`);
    return { rows: [{ watchers: 1, ...one }, { watchers: more.length + 1, ...many }], records: records.length, targets: targets.length };
  } finally {
    for (const s of raw) s.socket.terminate();
    for (const c of clients) await c.close().catch(() => undefined);
    await server.close();
  }
}
