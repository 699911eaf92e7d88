/**
 * W7 offline burst: a synced Offgrid client (SQLite) goes offline (`OnlineManager.setOnline(false)`),
 * makes 5,000 updates over 500 records (10 per record, each setting `priority` and a unique `changedAt`),
 * then comes back online. Measured: time from `setOnline(true)` until the outbox is empty, HTTP requests
 * sent meanwhile (a wrapped `sync.fetch`), and whether every record's final state on the server equals the
 * client's. Floor, same run and server: the same 5,000 versioned updates pushed raw with `pushMutations`,
 * 100 per request (the client's default push batch), one change per record per request, versions chained.
 */
import { randomUUID } from 'node:crypto';
import { makeRecords } from '../data.mjs';
import { gql, ITEM_FIELDS, progress, PUSH, round, startServer } from '../server/harness.mjs';
import { syncSizes } from '../server/net-config.mjs';
import { openClient, until } from './client.mjs';

const stamp = (round, i) => new Date(Date.UTC(2033, 0, 1) + round * 100_000 + i).toISOString();

async function serverState(graphqlUrl, ids) {
  const want = new Set(ids);
  const out = new Map();
  let nextToken = null;
  do {
    const data = await gql(graphqlUrl, `query S($t: String) { syncItems(limit: 1000, nextToken: $t) { items { ${ITEM_FIELDS} } nextToken } }`, { t: nextToken });
    for (const it of data.syncItems.items) if (want.has(it.id)) out.set(it.id, it);
    nextToken = data.syncItems.nextToken;
  } while (nextToken);
  return out;
}

export async function runW7() {
  const { OnlineManager } = await import('@offgrid/core');
  const { load } = makeRecords();
  const n = syncSizes.w7Records;
  const mine = load.slice(0, n);
  const floorRecords = load.slice(n, 2 * n);
  const perRecord = syncSizes.w7Mutations / n;
  const server = await startServer({ db: 'sqlite' });
  let client;
  try {
    await server.seed([...mine, ...floorRecords]);
    const online = new OnlineManager(undefined);
    client = await openClient(server.graphql, { adapter: 'sqlite', onlineManager: online, count: true });
    await client.ready();
    online.setOnline(false);
    await until(() => client.store.isSynced('Item') === false, { what: 'offline' });

    // 5,000 updates while offline: round r updates every record once.
    const t0 = performance.now();
    const current = new Map((await client.store.query(client.Item)).filter((r) => r.id < '~').map((r) => [r.id, r]));
    for (let round = 0; round < perRecord; round++) {
      for (let i = 0; i < n; i++) {
        const rec = current.get(mine[i].id);
        const saved = await client.store.save(client.Item.copyOf(rec, (d) => {
          d.priority = (round * 7 + i) % 40;
          d.changedAt = stamp(round, i);
        }));
        current.set(rec.id, saved);
      }
    }
    const offlineMs = performance.now() - t0;
    const queued = (await client.store.pendingMutations()).length;
    progress('W7', `${syncSizes.w7Mutations} offline saves in ${offlineMs.toFixed(0)} ms; ${queued} outbox entries`);

    // Reconnect and drain.
    const before = { ...client.counters };
    const t1 = performance.now();
    online.setOnline(true);
    await until(async () => (await client.store.pendingMutations()).length === 0, { everyMs: 10, timeoutMs: 120_000, what: 'W7 outbox drained' });
    const drainMs = performance.now() - t1;
    const requests = client.counters.requests - before.requests;
    const pushes = client.counters.pushes - before.pushes;

    // Final states: the server's records equal the client's.
    const remote = await serverState(server.graphql, mine.map((r) => r.id));
    const local = new Map((await client.store.query(client.Item)).map((r) => [r.id, r]));
    let mismatches = 0;
    for (const r of mine) {
      const s = remote.get(r.id);
      const l = local.get(r.id);
      if (!s || !l || s.priority !== l.priority || s.changedAt !== l.changedAt || s._version !== l._version) mismatches++;
    }
    const dead = (await client.store.deadLetters()).length;
    progress('W7', `drained in ${drainMs.toFixed(0)} ms, ${requests} requests (${pushes} pushes); ${mismatches} mismatches, ${dead} dead letters`);

    // Floor: the same number of versioned updates, pushed raw, 100 per request.
    const versions = new Map(floorRecords.map((r) => [r.id, 1]));
    let floorRequests = 0;
    let floorErrors = 0;
    const t2 = performance.now();
    for (let round = 0; round < perRecord; round++) {
      for (let i = 0; i < n; i += 100) {
        const slice = floorRecords.slice(i, i + 100);
        const m = slice.map((r, k) => ({
          mutationId: randomUUID(),
          model: 'Item',
          operation: 'UPDATE',
          input: JSON.stringify({ id: r.id, priority: (round * 7 + i + k) % 40, changedAt: stamp(round + 50, i + k), _version: versions.get(r.id) }),
        }));
        const data = await gql(server.graphql, PUSH, { m });
        floorRequests++;
        data.pushMutations.forEach((res, k) => (res.record ? versions.set(slice[k].id, JSON.parse(res.record)._version) : floorErrors++));
      }
    }
    const floorMs = performance.now() - t2;
    // Second floor: only each record's final values (what a coalescing outbox has left to send), 100 per request.
    let coalescedRequests = 0;
    const t3 = performance.now();
    for (let i = 0; i < n; i += 100) {
      const slice = floorRecords.slice(i, i + 100);
      const m = slice.map((r, k) => ({
        mutationId: randomUUID(),
        model: 'Item',
        operation: 'UPDATE',
        input: JSON.stringify({ id: r.id, priority: (i + k) % 40, changedAt: stamp(99, i + k), _version: versions.get(r.id) }),
      }));
      const data = await gql(server.graphql, PUSH, { m });
      coalescedRequests++;
      data.pushMutations.forEach((res) => (res.record ? undefined : floorErrors++));
    }
    const coalescedMs = performance.now() - t3;
    progress('W7', `raw floor: ${floorMs.toFixed(0)} ms, ${floorRequests} requests${floorErrors ? `, ${floorErrors} ERRORS` : ''}`);
    return {
      mutations: syncSizes.w7Mutations,
      records: n,
      offlineSaveMs: round(offlineMs),
      outboxEntries: queued,
      drainMs: round(drainMs),
      requests,
      pushes,
      mismatches,
      deadLetters: dead,
      equal: mismatches === 0 && dead === 0,
      floor: { ms: round(floorMs), requests: floorRequests, errors: floorErrors },
      coalescedFloor: { ms: round(coalescedMs), requests: coalescedRequests, mutations: n },
    };
  } finally {
    await client?.close().catch(() => undefined);
    await server.close();
  }
}
