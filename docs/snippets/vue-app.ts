// #region main
import { createDataStorePlugin } from '@offgrid/vue';
import { createApp } from 'vue';
import { store } from './create-store';
import { TodoListView } from './vue-todos';

createApp(TodoListView).use(createDataStorePlugin(store)).mount('#app');
// #endregion main
