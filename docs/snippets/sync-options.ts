import { createDataStore, DISCARD, IndexedDBAdapter, type ConflictHandler, type PredicateInput } from '@offgrid/core';
import { schema, type Models, type Todo } from './models';

declare const currentUserId: string;
declare function currentIdToken(): Promise<string>;

// #region conflict-handler
const conflictHandler: ConflictHandler = ({ modelName, local, patch, remote, operation, attempts }) => {
  if (attempts > 3) return DISCARD; // keep the server's record
  if (modelName === 'Todo' && operation === 'update' && 'done' in patch) {
    return { ...remote, done: local.done }; // retry my `done` on the server's version
  }
  return { ...remote, ...patch }; // the default: my changed fields on top of the server's record
};
// #endregion conflict-handler

// #region sync-options
const mineAndOpen: PredicateInput<Todo> = (t) => t.and((t) => [t.owner.eq(currentUserId), t.done.eq(false)]);

const store = createDataStore<Models>({
  schema,
  storage: new IndexedDBAdapter({ name: 'todos' }),
  sync: {
    url: 'https://sync.example.com/graphql',
    auth: { token: currentIdToken },
    // Selective sync: only these records are downloaded (re-read on every sync).
    syncExpressions: {
      Todo: () => mineAndOpen,
    },
    pageSize: 1000, // records per sync page
    pushBatchSize: 100, // changes per push request
    maxRecordsToSync: 50_000, // reported as a `syncLimitReached` event, never silent
    fullSyncInterval: 24 * 60 * 60 * 1000,
    conflictHandler,
    maxConflictAttempts: 5, // then the change is dead-lettered
  },
});
// #endregion sync-options

declare function currentSession(): Promise<{ idToken: string } | undefined>;

// #region multi-auth
const both = createDataStore<Models>({
  schema,
  storage: new IndexedDBAdapter({ name: 'app' }),
  sync: {
    url: 'https://sync.example.com/graphql',
    // Public models sync with the key; owner, group and private models with the user's token.
    // Signed out (the token provider returns nothing): only the public models; the rest are reported.
    auth: { apiKey: 'da2-public-key', token: async () => (await currentSession())?.idToken },
  },
});
both.events$.subscribe((e) => {
  if (e.event === 'modelSyncRefused') console.info(`${e.data.model}: ${e.data.message}`); // once per model
});
// After sign-in: refused models are tried again on the next sync wake; resync() does it at once.
await both.resync();
// #endregion multi-auth
export { both, store };
