import '@offgrid/todo-shared/styles.css';
import { createTodoStore } from '@offgrid/todo-shared';
import { registerTodoServiceWorker } from '@offgrid/todo-shared/service-worker';
import { createDataStorePlugin } from '@offgrid/vue';
import { createApp } from 'vue';
import App from './App.vue';

const store = createTodoStore();
createApp(App).use(createDataStorePlugin(store)).mount('#root');
// The app shell from a service worker: the app loads and reloads offline.
registerTodoServiceWorker();
