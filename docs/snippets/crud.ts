import { store } from './create-store';
import { Priority, Todo, TodoList } from './models';

// #region save
const list = await store.save(new TodoList({ name: 'Groceries' }));
const todo = await store.save(new Todo({ title: 'Buy milk', done: false, priority: Priority.HIGH, list }));
// #endregion save

// #region update
// Records are frozen; copyOf makes a new one and remembers which fields changed.
const done = await store.save(
  Todo.copyOf(todo, (draft) => {
    draft.done = true; // only `done` is queued for sync
  }),
);
// #endregion update

// #region read
const byId: Todo | undefined = await store.query(Todo, todo.id);
const all: Todo[] = await store.query(Todo);
const parent = await done.list; // belongsTo: a promise of the related record
const children = await list.todos.toArray(); // hasMany: an async collection
// #endregion read

// #region delete
await store.delete(done); // one record
await store.delete(Todo, (t) => t.done.eq(true)); // every match
await store.delete(Todo, 'todo-id'); // by key
// #endregion delete

// #region conditional
// Saved only if the stored record still matches; otherwise nothing is written and it throws.
await store.save(
  Todo.copyOf(todo, (d) => {
    d.title = 'Buy oat milk';
  }),
  (t) => t.done.eq(false),
);
// #endregion conditional

export { all, byId, children, parent };
