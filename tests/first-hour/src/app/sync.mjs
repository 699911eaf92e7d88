// The Node side of the app: a real SQLite file, sync with `offgrid serve`, no WebSocket configuration.
// Usage: node sync.mjs <graphql url> <sqlite file>; prints one JSON line.
import { readFileSync } from 'node:fs';
import { createDataStore } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { createSqliteAdapter } from '@offgrid/sqlite';

const [url, file] = process.argv.slice(2);
const headers = { 'content-type': 'application/json', 'x-api-key': 'dev-key' };
const gql = async (query) => (await (await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) })).json());
const within = (ms, what, promise) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);

const store = createDataStore({
  schema: parseSchema(readFileSync('schema.graphql', 'utf8')),
  storage: createSqliteAdapter(file),
  sync: { url, auth: { apiKey: 'dev-key' } },
});
const { Folder, Note } = store.models;
const ready = new Promise((resolve) => store.events$.subscribe((e) => e.event === 'ready' && resolve()));
await store.start();
await within(30_000, 'the first sync', ready);

const folder = await store.save(new Folder({ name: 'Inbox' }));
await store.save(new Note({ folderID: folder.id, text: 'written on Node' }));

// A record created on the server arrives live, through the subscription.
const live = new Promise((resolve) => {
  const sub = store.observeQuery(Note, (n) => n.folderID.eq(folder.id)).subscribe(({ items }) => {
    if (items.some((n) => n.text === 'written on the server')) {
      sub.unsubscribe();
      resolve(items.map((n) => n.text).sort());
    }
  });
});
const created = await gql(`mutation { createNote(input: { folderID: "${folder.id}", text: "written on the server" }) { id } }`);
if (created.errors) throw new Error(JSON.stringify(created.errors));
const localTexts = await within(30_000, 'the live change', live);

// The local save reached the server.
let serverTexts = [];
await within(30_000, 'the push', (async () => {
  for (;;) {
    const page = await gql('query { syncNotes(limit: 100) { items { text folderID } } }');
    serverTexts = page.data.syncNotes.items.filter((n) => n.folderID === folder.id).map((n) => n.text).sort();
    if (serverTexts.includes('written on Node')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
})());
await store.close();
console.log(JSON.stringify({ node: process.versions.node, localTexts, serverTexts }));
process.exit(0);
