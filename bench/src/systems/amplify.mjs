import { createRequire } from 'node:module';
import { QUICK } from '../config.mjs';
import { versionOf } from '../versions.mjs';
import { amplifySchema as schema } from './amplify-schema.mjs';

const require = createRequire(import.meta.url);

/** The browser globals Amplify DataStore expects (see shared/AMPLIFY-WIRE.md), set before it loads. */
function installGlobals() {
  require('fake-indexeddb/auto');
  globalThis.window = globalThis;
  globalThis.WebSocket ??= require('ws');
  if (!globalThis.navigator) globalThis.navigator = { onLine: true };
  const events = new EventTarget();
  globalThis.addEventListener = events.addEventListener.bind(events);
  globalThis.removeEventListener = events.removeEventListener.bind(events);
  globalThis.dispatchEvent = events.dispatchEvent.bind(events);
}

/**
 * Amplify DataStore (local-only: no API configured, so no sync engine and no outbox) on fake-indexeddb.
 * A process singleton; the runner gives every system its own process.
 */
export function amplify() {
  let DataStore;
  let SortDirection;
  let Item;
  return {
    label: 'Amplify DataStore (fake-indexeddb)',
    storage: 'indexeddb',
    notes: [
      'local-only (no API configured): no sync engine, no outbox written',
      'has no bulk save: W1 is one awaited DataStore.save per record',
    ],
    limits: () => ({ w4Writes: QUICK ? 3 : 20 }),
    w4TimeoutMs: 10_000,
    async available() {
      installGlobals();
      const { Amplify } = require('aws-amplify');
      Amplify.configure({});
      const ds = require('@aws-amplify/datastore');
      ({ DataStore, SortDirection } = ds);
      ({ Item } = ds.initSchema(schema));
      return { ok: true, version: `aws-amplify ${versionOf('aws-amplify')}, @aws-amplify/datastore ${versionOf('@aws-amplify/datastore')}` };
    },
    async open(run) {
      if (run > 0) await DataStore.clear();
      await DataStore.start();
      return {};
    },
    async bulkLoad(_db, records) {
      for (const r of records) await DataStore.save(new Item(r));
    },
    save: (_db, record) => DataStore.save(new Item(record)),
    queryOwner: (_db, owner) =>
      DataStore.query(Item, (c) => c.owner.eq(owner), { sort: (s) => s.changedAt(SortDirection.DESCENDING), limit: 100 }),
    prepareUpdates: (_db, ids) => Promise.all(ids.map((id) => DataStore.query(Item, id))),
    update: (_db, record, priority) =>
      DataStore.save(
        Item.copyOf(record, (d) => {
          d.priority = priority;
        }),
      ),
    watch(_db, priority, onItems) {
      const sub = DataStore.observeQuery(Item, (c) => c.priority.eq(priority)).subscribe(({ items }) => onItems(items));
      return () => sub.unsubscribe();
    },
    async finalState() {
      const all = await DataStore.query(Item);
      return { count: all.length, prioritySum: all.reduce((sum, r) => sum + r.priority, 0) };
    },
    async close() {
      await DataStore.stop();
    },
  };
}
