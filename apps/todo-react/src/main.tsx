import '@offgrid/todo-shared/styles.css';
import { DataStoreProvider } from '@offgrid/react';
import { createTodoStore } from '@offgrid/todo-shared';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { session } from './session';

// One store for the page's lifetime, made outside React so StrictMode's double effects never close it.
// With `?token=`, the store also sends the user's token and keeps local data to that user.
const store = createTodoStore(session.usesAccounts ? { token: session.token } : {});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DataStoreProvider store={store}>
      <App />
    </DataStoreProvider>
  </StrictMode>,
);
