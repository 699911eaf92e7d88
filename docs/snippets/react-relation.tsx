// #region relation
import { useQuery } from '@offgrid/react';
import { Todo, type TodoList } from './models';

// `list.todos` loads once; a live query on the foreign key follows every save, here and from the server.
export function ListTodos({ list }: { list: TodoList }) {
  const { data } = useQuery(Todo, (t) => t.listID.eq(list.id), { sort: (s) => s.title('ASCENDING') });
  return <h3>{list.name} ({data.length})</h3>;
}
// #endregion relation
