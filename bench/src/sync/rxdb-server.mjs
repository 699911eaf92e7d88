/**
 * Child process: RxDB's own WebSocket replication server (`startWebsocketServer` from
 * rxdb/plugins/replication-websocket) over a memory-storage database holding the same Item records.
 *   node src/sync/rxdb-server.mjs   then IPC: { type: 'seed', records } -> { type: 'seeded' }; { type: 'close' }
 * Sends `{ type: 'listening', url }` first.
 */
import { createRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { startWebsocketServer } from 'rxdb/plugins/replication-websocket';
import { schema } from '../systems/rxdb.mjs';

const db = await createRxDatabase({ name: `rxserver${process.pid}`, storage: getRxStorageMemory(), multiInstance: false, eventReduce: true });
await db.addCollections({ items: { schema } });
// Port 0 is not reported back by startWebsocketServer's return value; read it from the ws server.
const server = startWebsocketServer({ database: db, port: 0, host: '127.0.0.1' });
await new Promise((r) => (server.server.address() ? r() : server.server.once('listening', r)));
const url = `ws://127.0.0.1:${server.server.address().port}`;

process.on('message', async (m) => {
  try {
    if (m.type === 'seed') {
      const { error } = await db.items.bulkInsert(m.records);
      if (error.length) throw new Error(`seed: ${error.length} errors`);
      process.send({ type: 'seeded' });
    } else if (m.type === 'close') {
      await db.remove();
      process.send({ type: 'closed' }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ type: 'error', error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'listening', url });
