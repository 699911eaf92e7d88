// #region runes
// Svelte 5 runes: createQuery follows the $state it reads. Call it while a component initialises;
// setDataStoreContext(store) in a parent component (usually the root) provides the store.
import { createQuery } from '@offgrid/svelte';
import { Todo } from './models';

export function openTodos(filter: () => 'all' | 'open') {
  return createQuery(() => ({
    model: Todo,
    predicate: filter() === 'open' ? (t) => t.done.eq(false) : undefined,
    options: { sort: (s) => s.title('ASCENDING') },
  }));
}
// {#each query.data as todo (todo.id)}<li>{todo.title}</li>{/each}
// #endregion runes
