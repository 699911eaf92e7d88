import { createDataStore, IndexedDBAdapter, type DataStore } from '@offgrid/core';
import { schema, type Models } from './models';

declare function currentSession(): Promise<{ idToken: string; sub: string } | undefined>;

// #region default
// The default: the store clears itself when the signed-in user changes or signs out.
const store = createDataStore<Models>({
  schema,
  storage: new IndexedDBAdapter({ name: 'todos' }),
  sync: { url: 'https://sync.example.com/graphql', auth: { token: async () => (await currentSession())?.idToken } },
});
store.events$.subscribe((e) => {
  if (e.event === 'cleared' && e.data.reason === 'userChanged') console.info(`${e.data.discarded.length} unsent change(s) of the previous user discarded`);
});
// #endregion default

// #region per-user-store
// One store per user, its database named by the token's subject: each user's data (and unsent changes)
// stays on the device for them, and no other user's store can read it.
let current: DataStore<Models> | undefined;
export async function storeForSignedInUser(): Promise<DataStore<Models> | undefined> {
  const session = await currentSession();
  if (!session) return undefined;
  await current?.close();
  current = createDataStore<Models>({
    schema,
    storage: new IndexedDBAdapter({ name: `todos-${session.sub}` }),
    sync: { url: 'https://sync.example.com/graphql', auth: { token: async () => (await currentSession())?.idToken }, userChange: 'keep' },
  });
  return current;
}
// #endregion per-user-store

export { store };
