// #region stores
// In a component's <script lang="ts">: stores, read with $todos and $status in the markup.
import { queryStore, syncStatusStore } from '@offgrid/svelte';
import { store } from './create-store';
import { Todo } from './models';

export const todos = queryStore(store, Todo, (t) => t.done.eq(false), { sort: (s) => s.title('ASCENDING') });
export const status = syncStatusStore(store);
// {#each $todos.data as todo (todo.id)}<li>{todo.title}</li>{/each}
// #endregion stores
