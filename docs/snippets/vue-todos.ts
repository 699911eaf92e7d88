// #region component
import { useDataStore, useQuery, useSyncStatus } from '@offgrid/vue';
import { defineComponent, h, ref } from 'vue';
import { Todo } from './models';

export const TodoListView = defineComponent({
  setup() {
    // The same calls go in a <script setup lang="ts"> block.
    const store = useDataStore();
    const showDone = ref(false);
    // Arguments may be refs or getters: the query follows them. Disposed with the component's scope.
    const { data, isLoading, isSynced } = useQuery(Todo, () => (showDone.value ? undefined : (t) => t.done.eq(false)), { sort: (s) => s.title('ASCENDING') });
    const status = useSyncStatus();
    const toggle = (todo: Todo) => store.save(Todo.copyOf(todo, (d) => { d.done = !d.done; }));

    return () =>
      h('section', [
        h('p', `${status.value.state}, ${status.value.pending} to send${isSynced.value ? '' : ' (syncing…)'}`),
        h('label', [h('input', { type: 'checkbox', checked: showDone.value, onChange: () => (showDone.value = !showDone.value) }), ' show done']),
        isLoading.value
          ? h('p', 'Loading…')
          : h('ul', data.value.map((todo) => h('li', { key: todo.id, onClick: () => toggle(todo) }, `${todo.done ? '✓ ' : ''}${todo.title}`))),
      ]);
  },
});
// #endregion component

// #region progress
import { useSyncProgress } from '@offgrid/vue';

export const FirstSyncBar = defineComponent({
  setup() {
    // A computed ref: received and applied across models, the total when the server can tell it.
    const progress = useSyncProgress();
    return () => {
      const { syncing, fullSync, applied, total } = progress.value;
      if (!syncing || !fullSync) return null;
      return h('label', [`Downloading your data: ${applied}${total !== undefined ? ` of ${total}` : ''} records `, h('progress', { value: applied, max: total })]);
    };
  },
});
// #endregion progress
