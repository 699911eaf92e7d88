// #region stores
// In a component's <script lang="ts">: stores, read with $todos and $status in the markup.
import { queryStore, syncStatusStore } from '@offgrid/svelte';
import { store } from './create-store';
import { Todo } from './models';

export const todos = queryStore(store, Todo, (t) => t.done.eq(false), { sort: (s) => s.title('ASCENDING') });
export const status = syncStatusStore(store);
// {#each $todos.data as todo (todo.id)}<li>{todo.title}</li>{/each}
// #endregion stores

// #region progress
import { syncProgressStore } from '@offgrid/svelte';

// Received and applied across models, the total when the server can tell it.
export const progress = syncProgressStore(store);
// {#if $progress.syncing && $progress.fullSync}
//   <progress value={$progress.applied} max={$progress.total}></progress> {$progress.applied} of {$progress.total ?? '?'} records
// {/if}
// #endregion progress
