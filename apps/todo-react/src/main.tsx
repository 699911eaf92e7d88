import '@offgrid/todo-shared/styles.css';
import { DataStoreProvider } from '@offgrid/react';
import { createTodoStore } from '@offgrid/todo-shared';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// One store for the page's lifetime, made outside React so StrictMode's double effects never close it.
const store = createTodoStore();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DataStoreProvider store={store}>
      <App />
    </DataStoreProvider>
  </StrictMode>,
);
