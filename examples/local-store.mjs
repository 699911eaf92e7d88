// A runnable tour of the local store: no server, a real SQLite file, live queries and the outbox.
import { createDataStore } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { createSqliteAdapter } from '@offgrid/sqlite';
import { rmSync, mkdirSync } from 'node:fs';

const schema = parseSchema(/* GraphQL */ `
  type TodoList @model {
    id: ID!
    name: String!
    todos: [Todo] @hasMany(indexName: "byList", fields: ["id"])
  }
  type Todo @model {
    id: ID!
    title: String!
    done: Boolean!
    listID: ID @index(name: "byList", sortKeyFields: ["title"])
    list: TodoList @belongsTo(fields: ["listID"])
  }
`);

mkdirSync('.offgrid-data', { recursive: true });
const file = '.offgrid-data/example.sqlite';
for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });

const store = createDataStore({ schema, storage: createSqliteAdapter(file) });
const { TodoList, Todo } = store.models;

const live = store
  .observeQuery(Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING') })
  .subscribe(({ items }) => console.log('open todos:', items.map((t) => t.title).join(', ') || '(none)'));

const list = await store.save(new TodoList({ name: 'Groceries' }));
const milk = await store.save(new Todo({ title: 'Milk', done: false, list }));
await store.save(new Todo({ title: 'Bread', done: false, list }));
await store.save(Todo.copyOf(milk, (d) => { d.done = true }));

console.log('todos in list:', (await list.todos.toArray()).length);
console.log('list of milk:', (await milk.list).name);
console.log('pending mutations:', (await store.pendingMutations()).map((m) => `${m.operation} ${m.model}`).join(', '));

try {
  await store.save(new Todo({ title: 42, done: false }));
} catch (error) {
  console.log('rejected:', error.message);
}

live.unsubscribe();
await store.close();
console.log(`data kept in ${file}`);
