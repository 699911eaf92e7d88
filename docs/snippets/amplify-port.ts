// #region imports
import { AuthModeStrategyType, DataStore, DISCARD, Hub, Predicates, SortDirection, syncExpression } from '@offgrid/core/amplify';
import { Todo } from './models'; // offgrid codegen --schema amplify/backend/api/<app>/schema.graphql --out src/models
// #endregion imports

// #region configure
/** Your sign-in library (Amplify Auth keeps working: `(await fetchAuthSession()).tokens?.idToken?.toString()`). */
declare function currentIdToken(): Promise<string | undefined>;

// What `Amplify.configure(awsconfig)` gave Amplify: the server, its API key and the signed-in user's token.
// With both, each model syncs with the credential its @auth rules call for (Amplify's MULTI_AUTH).
DataStore.configure({
  sync: { url: 'https://sync.example.com/graphql', auth: { apiKey: 'da2-your-key', token: currentIdToken } },
});
// The app's own configure call, unchanged.
DataStore.configure({
  authModeStrategyType: AuthModeStrategyType.MULTI_AUTH,
  syncExpressions: [syncExpression(Todo, () => (t) => t.done.eq(false))],
  syncPageSize: 1000,
  maxRecordsToSync: 50_000,
  fullSyncInterval: 24 * 60, // minutes, as in Amplify
  errorHandler: (error) => console.warn(`${error.model} ${error.operation} (${error.process}): ${error.message}`),
  conflictHandler: async ({ modelConstructor, localModel, remoteModel }) => {
    if (modelConstructor === Todo) return Todo.copyOf(remoteModel as Todo, (draft) => void (draft.title = localModel.title));
    return DISCARD;
  },
});
// #endregion configure

// #region app
// Unchanged Amplify code from here on.
Hub.listen('datastore', ({ payload }) => {
  if (payload.event === 'syncQueriesReady') console.log('synced');
  if (payload.event === 'modelSynced' && payload.data.model === Todo) console.log('todos', payload.data.counts);
  if (payload.event === 'outboxStatus') console.log('outbox empty:', payload.data.isEmpty);
});

const todo = await DataStore.save(new Todo({ title: 'Port the app', done: false }));
await DataStore.save(
  Todo.copyOf(todo, (updated) => {
    updated.done = true;
  }),
);
const recent = await DataStore.query(Todo, Predicates.ALL, { sort: (s) => s.title(SortDirection.ASCENDING), limit: 20 });
const changes = DataStore.observe(todo).subscribe(({ opType, element }) => console.log(opType, element.title));
const subscription = DataStore.observeQuery(Todo, (t) => t.done.eq(false)).subscribe(({ items, isSynced }) => {
  console.log(items.length, isSynced);
});
await DataStore.delete(todo);
changes.unsubscribe();
subscription.unsubscribe();
await DataStore.clear(); // on sign-out; resolves with the unsent changes it discarded
// #endregion app
export { recent };
