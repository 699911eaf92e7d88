// #region imports
import { DataStore, Hub, initSchema, Predicates, SortDirection, syncExpression } from '@offgrid/core/amplify';
import { schema, type Models } from './models'; // offgrid codegen --schema amplify/backend/api/<app>/schema.graphql --out src/models

const { Todo } = initSchema<Models>(schema); // what Amplify's generated models/index.js does
// #endregion imports

// #region configure
/** Your sign-in library (Amplify Auth keeps working: `(await fetchAuthSession()).tokens?.idToken?.toString()`). */
declare function currentIdToken(): Promise<string>;

DataStore.configure({
  sync: { url: 'https://sync.example.com/graphql', auth: { token: currentIdToken } }, // instead of aws-exports
  syncExpressions: [syncExpression(Todo, () => (t) => t.done.eq(false))],
  syncPageSize: 1000,
  maxRecordsToSync: 50_000,
  fullSyncInterval: 24 * 60, // minutes, as in Amplify
  errorHandler: (error) => console.warn(`${error.model} ${error.operation}: ${error.message}`),
});
// #endregion configure

// #region app
// Unchanged Amplify code from here on.
Hub.listen('datastore', ({ payload }) => {
  if (payload.event === 'syncQueriesReady') console.log('synced');
  if (payload.event === 'outboxStatus') console.log('outbox', payload.data);
});

const todo = await DataStore.save(new Todo({ title: 'Port the app', done: false }));
await DataStore.save(
  Todo.copyOf(todo, (updated) => {
    updated.done = true;
  }),
);
const recent = await DataStore.query(Todo, Predicates.ALL, { sort: (s) => s.title(SortDirection.ASCENDING), limit: 20 });
const subscription = DataStore.observeQuery(Todo, (t) => t.done.eq(false)).subscribe(({ items, isSynced }) => {
  console.log(items.length, isSynced);
});
await DataStore.delete(todo);
subscription.unsubscribe();
await DataStore.clear(); // on sign-out; resolves with the unsent changes it discarded
// #endregion app
export { recent };
