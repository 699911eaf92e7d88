/**
 * Child process: one W5 client in a fresh Node process, syncing N Items from an empty store.
 *
 *   node src/sync/w5-client.mjs '{"system":"amplify","graphql":"https://127.0.0.1:PORT/graphql","n":10000}'
 *
 * Systems: `amplify` (the published aws-amplify v6 DataStore, unmodified, on fake-indexeddb, run as
 * tests/amplify runs it: see shared/AMPLIFY-WIRE.md) and `offgrid-indexeddb` / `offgrid-memory` /
 * `offgrid-sqlite` (Offgrid's DataStore on IndexedDBAdapter over fake-indexeddb, MemoryAdapter, SQLite).
 * The server's certificate is trusted through NODE_EXTRA_CA_CERTS (set by the parent).
 *
 * Replies over IPC with `{ count, syncMs, queryMs, processMs, cpuMs, syncCpuMs }`:
 * - syncMs: from the `start()` call to the model's `modelSynced` event (both clients raise one; Amplify's on Hub);
 * - queryMs: then one query of every Item, its length checked against N;
 * - processMs: `performance.now()` when that query returned, i.e. milliseconds since this Node process's time
 *   origin (its start): Node's boot, module loading, store setup, the sync and the query;
 * - cpuMs / syncCpuMs: this process's CPU time (user + system) until then / during syncMs: unlike wall time,
 *   it hardly moves when other work loads the machine.
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { system, graphql, n, pageSize = 1000 } = JSON.parse(process.argv[2] ?? '{}');
const API_KEY = 'k';
const require = createRequire(import.meta.url);
const cpuNow = () => {
  const { user, system: sys } = process.cpuUsage();
  return (user + sys) / 1000;
};

/** Resolves with the first value `subscribe` hands `accept` that it does not answer `undefined` to. */
function first(subscribe, accept) {
  return new Promise((resolve) => {
    const stop = subscribe((value) => {
      const out = accept(value);
      if (out !== undefined) {
        queueMicrotask(() => stop());
        resolve(out);
      }
    });
  });
}

/** The browser globals Amplify DataStore needs in Node (AMPLIFY-WIRE.md, "Running the Amplify client in Node tests"). */
function installBrowserGlobals() {
  require('fake-indexeddb/auto');
  const events = new EventTarget();
  globalThis.window = globalThis;
  globalThis.WebSocket = require('ws');
  if (!globalThis.navigator) globalThis.navigator = { onLine: true };
  else Object.defineProperty(globalThis.navigator, 'onLine', { value: true, writable: true, configurable: true });
  globalThis.addEventListener = events.addEventListener.bind(events);
  globalThis.removeEventListener = events.removeEventListener.bind(events);
  globalThis.dispatchEvent = events.dispatchEvent.bind(events);
}

async function amplify() {
  installBrowserGlobals();
  // CommonJS on purpose: @aws-amplify/datastore has no `exports` map, and Amplify.configure must configure the
  // copy of @aws-amplify/core that DataStore uses.
  const { Amplify } = require('aws-amplify');
  const { Hub } = require('aws-amplify/utils');
  const { DataStore, initSchema } = require('@aws-amplify/datastore');
  const { amplifySchema } = await import('../systems/amplify-schema.mjs');
  const { Item } = initSchema(amplifySchema);
  // What an Amplify Gen 1 app has in aws-exports.js, with the endpoint changed.
  Amplify.configure({
    aws_project_region: 'us-east-1',
    aws_appsync_graphqlEndpoint: graphql,
    aws_appsync_region: 'us-east-1',
    aws_appsync_authenticationType: 'API_KEY',
    aws_appsync_apiKey: API_KEY,
  });
  // maxRecordsToSync defaults to 10,000 and would cut the 100,000 sync short (silently, LESSONS.md).
  DataStore.configure({ maxRecordsToSync: n + 1, syncPageSize: pageSize });
  const synced = first(
    (listener) => Hub.listen('datastore', ({ payload }) => listener(payload)),
    (p) => (p.event === 'modelSynced' && p.data?.model?.name === 'Item' ? true : undefined),
  );
  const c0 = cpuNow();
  const t0 = performance.now();
  await DataStore.start();
  await synced;
  const t1 = performance.now();
  const c1 = cpuNow();
  const count = (await DataStore.query(Item)).length;
  const t2 = performance.now();
  return { count, syncMs: t1 - t0, queryMs: t2 - t1, processMs: t2, cpuMs: cpuNow(), syncCpuMs: c1 - c0, close: () => DataStore.stop() };
}

async function offgrid(adapter) {
  if (adapter === 'indexeddb') await import('fake-indexeddb/auto');
  const { createDataStore, IndexedDBAdapter, MemoryAdapter } = await import('@offgrid/core');
  const { parseSchema } = await import('@offgrid/schema');
  const { SDL } = await import('../config.mjs');
  const { default: WebSocket } = await import('ws');
  let storage;
  let cleanup = () => undefined;
  if (adapter === 'indexeddb') storage = new IndexedDBAdapter({ name: `w5-${randomUUID()}` });
  else if (adapter === 'memory') storage = new MemoryAdapter();
  else {
    const { createSqliteAdapter } = await import('@offgrid/sqlite');
    const file = join(tmpdir(), `offgrid-bench-w5-${randomUUID()}.sqlite`);
    storage = createSqliteAdapter(file);
    cleanup = () => ['', '-wal', '-shm'].forEach((s) => rmSync(file + s, { force: true }));
  }
  const store = createDataStore({
    schema: parseSchema(SDL),
    storage,
    // One process, no other tab to coordinate with (a browser app's default is on).
    tabs: false,
    sync: { url: graphql, auth: { apiKey: API_KEY }, webSocketImpl: WebSocket, pageSize },
  });
  const synced = first(
    (listener) => {
      const sub = store.events$.subscribe(listener);
      return () => sub.unsubscribe();
    },
    (e) => (e.event === 'modelSynced' && e.data.model === 'Item' ? true : undefined),
  );
  const c0 = cpuNow();
  const t0 = performance.now();
  await store.start();
  await synced;
  const t1 = performance.now();
  const c1 = cpuNow();
  const count = (await store.query(store.models.Item)).length;
  const t2 = performance.now();
  return {
    count,
    syncMs: t1 - t0,
    queryMs: t2 - t1,
    processMs: t2,
    cpuMs: cpuNow(),
    syncCpuMs: c1 - c0,
    close: async () => {
      await store.close();
      cleanup();
    },
  };
}

let reply;
try {
  const r = system === 'amplify' ? await amplify() : await offgrid(system.replace(/^offgrid-/, ''));
  reply = { count: r.count, syncMs: r.syncMs, queryMs: r.queryMs, processMs: r.processMs, cpuMs: r.cpuMs, syncCpuMs: r.syncCpuMs };
  await Promise.race([r.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]).catch(() => undefined);
} catch (error) {
  reply = { error: String(error?.stack ?? error) };
}
process.send?.(reply, () => process.exit(0));
if (!process.send) {
  console.log(JSON.stringify(reply));
  process.exit(0);
}
