// #region relation
import { queryStore } from '@offgrid/svelte';
import { store } from './create-store';
import { Todo } from './models';

// A live query on the foreign key, as a store ($listTodos.data): it follows every save, here and from the server.
export const listTodos = (listId: string) => queryStore(store, Todo, (t) => t.listID.eq(listId), { sort: (s) => s.title('ASCENDING') });
// #endregion relation
