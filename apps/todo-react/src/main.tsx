import '@offgrid/todo-shared/styles.css';
import { DataStoreProvider } from '@offgrid/react';
import { createTodoStore } from '@offgrid/todo-shared';
import { registerTodoServiceWorker } from '@offgrid/todo-shared/service-worker';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { chooseStorage } from './choose-storage';
import { session } from './session';

// One store for the page's lifetime, made outside React so StrictMode's double effects never close it.
// With `?token=`, the store also sends the user's token and keeps local data to that user; with
// `?storage=opfs` it keeps its data in SQLite on OPFS instead of IndexedDB.
const store = createTodoStore({ storage: chooseStorage, ...(session.usesAccounts ? { token: session.token } : {}) });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DataStoreProvider store={store}>
      <App />
    </DataStoreProvider>
  </StrictMode>,
);
// The app shell from a service worker: the app loads and reloads offline.
registerTodoServiceWorker();
