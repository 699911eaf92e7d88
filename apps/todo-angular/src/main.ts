import '@offgrid/todo-shared/styles.css';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { provideDataStore } from '@offgrid/angular';
import { createTodoStore } from '@offgrid/todo-shared';
import { registerTodoServiceWorker } from '@offgrid/todo-shared/service-worker';
import { App } from './app/app';

bootstrapApplication(App, {
  providers: [provideZonelessChangeDetection(), provideDataStore(() => createTodoStore())],
}).catch((error: unknown) => console.error(error));
// The app shell from a service worker: the app loads and reloads offline.
registerTodoServiceWorker();
