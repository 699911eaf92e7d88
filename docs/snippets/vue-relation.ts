// #region relation
import { useQuery } from '@offgrid/vue';
import type { Ref } from 'vue';
import { Todo } from './models';

// In <script setup lang="ts">: a live query on the foreign key; it follows `listId` and every save.
export function useListTodos(listId: Ref<string>) {
  return useQuery(Todo, () => (t) => t.listID.eq(listId.value), { sort: (s) => s.title('ASCENDING') });
}
// #endregion relation
