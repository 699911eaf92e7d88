import '@offgrid/todo-shared/styles.css';
import { registerTodoServiceWorker } from '@offgrid/todo-shared/service-worker';
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('root')! });
// The app shell from a service worker: the app loads and reloads offline.
registerTodoServiceWorker();
