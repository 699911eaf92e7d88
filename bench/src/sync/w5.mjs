/**
 * W5 initial sync: N records on the server, an empty client, time from `start()` until the model is
 * synced (all N stored locally). Offgrid on SQLite and on MemoryAdapter against one Offgrid server
 * (SQLite store, its own process); RxDB (memory storage) replicating from RxDB's WebSocket replication
 * server (memory storage, its own process) in the same run, same records, same batch size.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeRecords } from '../data.mjs';
import { collectGarbage } from '../stats.mjs';
import { progress, round, startServer } from '../server/harness.mjs';
import { syncSizes } from '../server/net-config.mjs';
import { openClient } from './client.mjs';

/** `n` records: the seeded 470-byte Items, repeated under new ids past the seed set. */
export function recordsFor(n) {
  const { load, fresh } = makeRecords();
  const base = [...load, ...fresh];
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = base[i % base.length];
    out[i] = i < base.length ? r : { ...r, id: `${r.id.slice(0, 24)}${String(i).padStart(12, '0')}` };
  }
  return out;
}

async function offgridInitialSync(graphqlUrl, adapter, n) {
  collectGarbage();
  const client = await openClient(graphqlUrl, { adapter, pageSize: syncSizes.w5PageSize, start: false });
  try {
    const synced = client.nextSynced();
    const t0 = performance.now();
    await client.store.start();
    const event = await synced;
    const ms = performance.now() - t0;
    const count = (await client.store.query(client.Item)).length;
    return { ms: round(ms), count, received: event.counts.new, ok: count === n };
  } finally {
    await client.close();
  }
}

function startRxdbServer() {
  const child = fork(fileURLToPath(new URL('./rxdb-server.mjs', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type) =>
    new Promise((resolve, reject) => {
      const on = (m) => {
        if (m.type === type) (child.off('message', on), resolve(m));
        else if (m.type === 'error') (child.off('message', on), reject(new Error(m.error)));
      };
      child.on('message', on);
    });
  return next('listening').then(({ url }) => ({
    url,
    seed: (records) => (child.send({ type: 'seed', records }), next('seeded')),
    close: async () => {
      child.send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await new Promise((r) => child.once('exit', r));
      clearTimeout(timer);
    },
  }));
}

async function rxdbInitialSync(records) {
  const { createRxDatabase } = await import('rxdb');
  const { getRxStorageMemory } = await import('rxdb/plugins/storage-memory');
  const { replicateWithWebsocketServer } = await import('rxdb/plugins/replication-websocket');
  const { schema } = await import('../systems/rxdb.mjs');
  const server = await startRxdbServer();
  let db;
  // RxDB's reconnecting WebSocket throws an unhandled 'error' event when its 4 s connection timeout passes
  // (seen on a loaded machine); that would end the whole job and lose the Offgrid rows: fail this run instead.
  let crashed;
  const crash = new Promise((_, reject) => (crashed = reject));
  crash.catch(() => undefined);
  const onCrash = (error) => crashed(new Error(`RxDB replication crashed: ${error?.message ?? error}`));
  process.on('uncaughtException', onCrash);
  try {
    await server.seed(records);
    collectGarbage();
    const t0 = performance.now();
    db = await createRxDatabase({ name: `rxclient${records.length}`, storage: getRxStorageMemory(), multiInstance: false, eventReduce: true });
    await db.addCollections({ items: { schema } });
    const replication = await replicateWithWebsocketServer({
      collection: db.items,
      url: server.url,
      replicationIdentifier: 'bench-w5',
      live: true,
      batchSize: syncSizes.w5PageSize,
    });
    await Promise.race([replication.awaitInitialReplication(), crash]);
    const ms = performance.now() - t0;
    const count = await db.items.count().exec();
    await replication.cancel();
    return { ms: round(ms), count, ok: count === records.length };
  } finally {
    await db?.remove().catch(() => undefined);
    await server.close();
    process.off('uncaughtException', onCrash);
  }
}

export async function runW5() {
  const rows = [];
  // Warm-up (untimed): one small sync per system, so the first timed size does not pay JIT and first-connection costs alone.
  {
    const records = recordsFor(500);
    const server = await startServer({ db: 'sqlite' });
    try {
      await server.seed(records);
      for (const adapter of ['sqlite', 'memory']) await offgridInitialSync(server.graphql, adapter, records.length);
    } finally {
      await server.close();
    }
    await rxdbInitialSync(records).catch(() => undefined);
  }
  for (const n of syncSizes.w5) {
    const records = recordsFor(n);
    const server = await startServer({ db: 'sqlite' });
    try {
      const seedMs = await server.seed(records);
      progress('W5', `seeded ${n} records in ${seedMs.toFixed(0)} ms`);
      for (const adapter of ['sqlite', 'memory']) {
        const r = await offgridInitialSync(server.graphql, adapter, n);
        progress('W5', `Offgrid ${adapter} ${n}: ${r.ms.toFixed(0)} ms (${Math.round((n / r.ms) * 1000)} records/s)${r.ok ? '' : ` WRONG COUNT ${r.count}`}`);
        rows.push({ system: adapter === 'sqlite' ? 'offgrid-sqlite' : 'offgrid-memory', n, ...r, recordsPerSecond: Math.round((n / r.ms) * 1000) });
      }
    } finally {
      await server.close();
    }
    try {
      const r = await rxdbInitialSync(records);
      progress('W5', `RxDB ${n}: ${r.ms.toFixed(0)} ms (${Math.round((n / r.ms) * 1000)} records/s)${r.ok ? '' : ` WRONG COUNT ${r.count}`}`);
      rows.push({ system: 'rxdb-ws', n, ...r, recordsPerSecond: Math.round((n / r.ms) * 1000) });
    } catch (error) {
      rows.push({ system: 'rxdb-ws', n, error: String(error?.message ?? error) });
    }
  }
  return { rows };
}
