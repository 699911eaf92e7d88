/**
 * W8 delta sync: a client (Offgrid, SQLite) synced with 10,000 records is stopped (`store.stop()`); the
 * server gets 100 updates and 10 deletes (pushed by another writer); the client starts again. Measured:
 * the records its delta sync downloaded (items in the sync responses, counted through a wrapped
 * `sync.fetch`, and the `modelSynced` counts), the time from `start()` to `modelSynced`, and that the local
 * state then holds the 100 new values and none of the 10 deleted records. The floor is the 110 changed records.
 */
import { randomUUID } from 'node:crypto';
import { progress, PUSH, gql, round, startServer } from '../server/harness.mjs';
import { syncSizes } from '../server/net-config.mjs';
import { openClient } from './client.mjs';
import { recordsFor } from './w5.mjs';

export async function runW8() {
  const records = recordsFor(syncSizes.w8Records);
  const server = await startServer({ db: 'sqlite' });
  let client;
  try {
    await server.seed(records);
    client = await openClient(server.graphql, { adapter: 'sqlite', count: true });
    await client.ready();
    await client.store.stop();

    const updated = records.slice(0, syncSizes.w8Updates);
    const deleted = records.slice(syncSizes.w8Updates, syncSizes.w8Updates + syncSizes.w8Deletes);
    const marker = '2034-01-01T00:00:00.000Z';
    const m = [
      ...updated.map((r) => ({ mutationId: randomUUID(), model: 'Item', operation: 'UPDATE', input: JSON.stringify({ id: r.id, changedAt: marker, _version: 1 }) })),
      ...deleted.map((r) => ({ mutationId: randomUUID(), model: 'Item', operation: 'DELETE', input: JSON.stringify({ id: r.id, _version: 1 }) })),
    ];
    const pushed = await gql(server.graphql, PUSH, { m });
    const refused = pushed.pushMutations.filter((x) => x.error).length;
    if (refused) throw new Error(`W8: the server refused ${refused} of the 110 changes`);

    const before = { ...client.counters };
    const synced = client.nextSynced();
    const t0 = performance.now();
    await client.store.start();
    const event = await synced;
    const ms = performance.now() - t0;
    const itemsReceived = client.counters.syncItems - before.syncItems;
    const syncRequests = client.counters.syncRequests - before.syncRequests;

    const local = new Map((await client.store.query(client.Item)).map((r) => [r.id, r]));
    const updatesSeen = updated.filter((r) => local.get(r.id)?.changedAt === marker).length;
    const deletesSeen = deleted.filter((r) => !local.has(r.id)).length;
    const expectedCount = records.length - deleted.length;
    const result = {
      records: records.length,
      changed: m.length,
      ms: round(ms),
      itemsReceived,
      syncRequests,
      counts: event.counts,
      isDeltaSync: event.isDeltaSync,
      updatesSeen,
      deletesSeen,
      localCount: local.size,
      exact: itemsReceived === m.length && event.isDeltaSync === true,
      correct: updatesSeen === updated.length && deletesSeen === deleted.length && local.size === expectedCount,
    };
    progress('W8', `delta sync moved ${itemsReceived} records (expected ${m.length}) in ${ms.toFixed(1)} ms; counts ${JSON.stringify(event.counts)}; ${updatesSeen} updates and ${deletesSeen} deletes applied`);
    return result;
  } finally {
    await client?.close().catch(() => undefined);
    await server.close();
  }
}
