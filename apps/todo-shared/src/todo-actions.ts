import type { DataStore, PredicateInput, SortInput } from '@offgrid/core';
import type { TodoFilter, TodoSort } from './dom-contract';
import type { Todo, TodoList, TodoModels } from './todo-schema';

/** The predicate for a list and a filter. */
export function todoPredicate(listId: string | undefined, filter: TodoFilter): PredicateInput<Todo> {
  return (p) =>
    p.and((p) => [
      p.listID.eq(listId ?? '__none__'),
      ...(filter === 'active' ? [p.done.eq(false)] : filter === 'done' ? [p.done.eq(true)] : []),
    ]);
}

/** The sort for a sort choice. */
export function todoSort(sort: TodoSort): SortInput<Todo> {
  if (sort === 'title-desc') return (s) => s.title('DESCENDING');
  if (sort === 'newest') return (s) => s.createdAt('DESCENDING').title('ASCENDING');
  return (s) => s.title('ASCENDING');
}

/** The demo's writes, shared so the four apps behave the same. */
export function todoActions(store: DataStore<TodoModels>) {
  const { Todo, TodoList } = store.models;
  return {
    addList: (name: string) => store.save(new TodoList({ name: name.trim() })),
    addTodo: (list: TodoList, title: string) => store.save(new Todo({ title: title.trim(), done: false, priority: 'NORMAL', list })),
    toggle: (todo: Todo) => store.save(Todo.copyOf(todo, (d) => { d.done = !d.done; })),
    rename: (todo: Todo, title: string) => store.save(Todo.copyOf(todo, (d) => { d.title = title.trim(); })),
    remove: (todo: Todo) => store.delete(todo),
    /** Makes sure there is a list to put todos in. */
    async ensureList(): Promise<TodoList> {
      const lists = await store.query(TodoList, undefined, { sort: (s) => s.createdAt('ASCENDING') });
      return lists[0] ?? store.save(new TodoList({ id: 'inbox', name: 'Inbox' }));
    },
  };
}
