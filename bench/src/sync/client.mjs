/** An Offgrid client for the sync workloads: a DataStore synced with a bench server, with counted requests. */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SDL } from '../config.mjs';
import { API_KEY } from '../server/harness.mjs';

let schemaPromise;
const parsedSchema = () => (schemaPromise ??= import('@offgrid/schema').then(({ parseSchema }) => parseSchema(SDL)));

/**
 * `adapter`: 'sqlite' (createSqliteAdapter on a temp file) or 'memory' (MemoryAdapter).
 * `count`: wrap `sync.fetch` to count requests and, for sync queries, the items each response carried
 * (parsing a clone of the body, so leave it off where time is measured on big pages).
 */
export async function openClient(graphqlUrl, { adapter = 'sqlite', pageSize, onlineManager, count = false, start = true } = {}) {
  const { createDataStore, MemoryAdapter } = await import('@offgrid/core');
  let storage;
  let cleanup;
  if (adapter === 'memory') storage = new MemoryAdapter();
  else {
    const { createSqliteAdapter } = await import('@offgrid/sqlite');
    const file = join(tmpdir(), `offgrid-bench-client-${randomUUID()}.sqlite`);
    storage = createSqliteAdapter(file);
    cleanup = () => ['', '-wal', '-shm'].forEach((s) => rmSync(file + s, { force: true }));
  }
  const counters = { requests: 0, pushes: 0, syncRequests: 0, syncItems: 0 };
  const base = globalThis.fetch.bind(globalThis);
  const fetchImpl = count
    ? async (url, init) => {
        counters.requests++;
        const body = String(init?.body ?? '');
        const isSync = body.includes('"query":"query Sync');
        if (body.includes('pushMutations')) counters.pushes++;
        const res = await base(url, init);
        if (isSync) {
          counters.syncRequests++;
          const json = await res.clone().json().catch(() => undefined);
          const page = json?.data && Object.values(json.data)[0];
          counters.syncItems += page?.items?.length ?? 0;
        }
        return res;
      }
    : undefined;
  const store = createDataStore({
    schema: await parsedSchema(),
    storage,
    sync: {
      url: graphqlUrl,
      auth: { apiKey: API_KEY },
      webSocketImpl: WebSocket,
      ...(pageSize ? { pageSize } : {}),
      ...(onlineManager ? { onlineManager } : {}),
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    },
  });
  const client = {
    store,
    Item: store.models.Item,
    counters,
    /** Resolves with the next `modelSynced` event for Item (subscribe before the sync can finish). */
    nextSynced() {
      return new Promise((resolve) => {
        const sub = store.events$.subscribe((e) => {
          if (e.event === 'modelSynced' && e.data.model === 'Item') {
            sub.unsubscribe();
            resolve(e.data);
          }
        });
      });
    },
    /** Resolves once Item is synced and live (`syncQueriesReady` after a sync). */
    async ready(timeoutMs = 120_000) {
      if (store.isSynced('Item')) return;
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`client not synced within ${timeoutMs} ms`)), timeoutMs);
        const sub = store.events$.subscribe((e) => {
          if (e.event === 'syncQueriesReady' || store.isSynced('Item')) {
            clearTimeout(timer);
            sub.unsubscribe();
            resolve();
          }
        });
      });
    },
    async close() {
      await store.close();
      cleanup?.();
    },
  };
  if (start) await store.start();
  return client;
}

/** Polls until `check()` is true (every `everyMs`), or throws after `timeoutMs`. */
export async function until(check, { everyMs = 5, timeoutMs = 60_000, what = 'condition' } = {}) {
  const t0 = performance.now();
  for (;;) {
    if (await check()) return;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
