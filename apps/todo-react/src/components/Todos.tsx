import { useDataStore, useItem, useQuery } from '@offgrid/react';
import { SORTS, TEST_IDS, todoActions, todoPredicate, todoSort, type TodoFilter, type TodoModels, type TodoSort } from '@offgrid/todo-shared';
import { useMemo, useState, type FormEvent } from 'react';
import { TodoItem } from './TodoItem';

const FILTERS: Array<{ value: TodoFilter; label: string; testId: string }> = [
  { value: 'all', label: 'All', testId: TEST_IDS.filterAll },
  { value: 'active', label: 'Active', testId: TEST_IDS.filterActive },
  { value: 'done', label: 'Done', testId: TEST_IDS.filterDone },
];

export function Todos({ listId }: { listId: string | undefined }) {
  const store = useDataStore<TodoModels>();
  const { Todo, TodoList } = store.models;
  const actions = useMemo(() => todoActions(store), [store]);
  const [filter, setFilter] = useState<TodoFilter>('all');
  const [sort, setSort] = useState<TodoSort>('title-asc');
  const [title, setTitle] = useState('');
  const list = useItem(TodoList, listId).data;
  const todos = useQuery(Todo, todoPredicate(listId, filter), { sort: todoSort(sort) });

  async function addTodo(event: FormEvent) {
    event.preventDefault();
    const target = list ?? (listId ? await store.query(TodoList, listId) : undefined);
    if (!target || !title.trim()) return;
    await actions.addTodo(target, title);
    setTitle('');
  }

  const count = todos.data.length;
  return (
    <>
      <form className="row" onSubmit={addTodo}>
        <input data-testid={TEST_IDS.newTodoInput} placeholder="What needs doing?" aria-label="New todo" value={title} onChange={(e) => setTitle(e.target.value)} />
        <button type="submit" data-testid={TEST_IDS.addTodoButton} disabled={!listId}>
          Add
        </button>
      </form>

      <div className="row">
        {FILTERS.map((f) => (
          <button key={f.value} type="button" className="secondary" data-testid={f.testId} aria-pressed={filter === f.value} onClick={() => setFilter(f.value)}>
            {f.label}
          </button>
        ))}
        <select data-testid={TEST_IDS.sortSelect} aria-label="Sort" value={sort} onChange={(e) => setSort(e.target.value as TodoSort)}>
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>

      <ul className="todos" data-testid={TEST_IDS.todoList}>
        {todos.data.map((todo) => (
          <TodoItem key={todo.id} todo={todo} actions={actions} />
        ))}
      </ul>

      <footer>
        <span data-testid={TEST_IDS.todoCount}>
          {count} {count === 1 ? 'todo' : 'todos'}
        </span>
      </footer>
    </>
  );
}
