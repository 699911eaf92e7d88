import { store } from './create-store';
import { Todo } from './models';

declare function render(todos: readonly Todo[], synced: boolean): void;

// #region observe-query
const subscription = store
  .observeQuery(Todo, (t) => t.done.eq(false), { sort: (s) => s.title('ASCENDING'), limit: 50 })
  .subscribe(({ items, isSynced }) => render(items, isSynced));
// later
subscription.unsubscribe();
// #endregion observe-query

// #region observe
store.observe(Todo).subscribe(({ opType, element }) => {
  console.log(opType, element.title); // INSERT | UPDATE | DELETE, local and remote changes alike
});
store.observe(Todo, 'todo-id').subscribe((change) => console.log('this todo changed', change.element));
// #endregion observe

// #region live-query
// The observer the bindings are built on: synchronous current result, listener counting.
const observer = store.liveQuery(Todo, (t) => t.done.eq(false));
const stop = observer.subscribe((result) => console.log(result.items.length, result.isLoading, result.isSynced));
stop();
// #endregion live-query
