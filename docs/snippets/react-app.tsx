// #region main
import { DataStoreProvider, useDataStore, useQuery, useSyncStatus } from '@offgrid/react';
import { StrictMode, useState, type ReactNode } from 'react';
import { store } from './create-store';
import { Todo } from './models';

declare function createRoot(element: Element): { render(node: ReactNode): void }; // from 'react-dom/client'

// Create the store once, outside React.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DataStoreProvider store={store}>
      <Todos />
    </DataStoreProvider>
  </StrictMode>,
);
// #endregion main

// #region component
function Todos() {
  const store = useDataStore();
  const [title, setTitle] = useState('');
  // Typed from the model: `data` is Todo[]; it updates live, from local writes and from the server.
  const { data, isLoading, isSynced, error } = useQuery(Todo, (t) => t.done.eq(false), { sort: (s) => s.title('ASCENDING') });
  const { state, pending } = useSyncStatus();

  if (error) return <p role="alert">{error.message}</p>;
  return (
    <>
      <p>
        {state}, {pending} to send {isSynced ? '' : '(syncing…)'}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void store.save(new Todo({ title, done: false }));
          setTitle('');
        }}
      >
        <input value={title} onChange={(e) => setTitle(e.target.value)} />
      </form>
      {isLoading ? (
        <p>Loading…</p>
      ) : (
        <ul>
          {data.map((todo) => (
            <li key={todo.id}>
              <label>
                <input
                  type="checkbox"
                  checked={todo.done}
                  onChange={() => void store.save(Todo.copyOf(todo, (d) => { d.done = !d.done; }))}
                />
                {todo.title}
              </label>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
// #endregion component

// #region progress
import { useSyncProgress } from '@offgrid/react';

function FirstSyncBar() {
  // Received and applied across models, the total when the server can tell it, re-rendered page by page.
  const { syncing, fullSync, applied, total } = useSyncProgress();
  if (!syncing || !fullSync) return null;
  return (
    <label>
      Downloading your data: {applied}
      {total !== undefined && ` of ${total}`} records
      <progress value={applied} max={total} />
    </label>
  );
}
// #endregion progress

// #region item
import { useItem } from '@offgrid/react';

function TodoTitle({ id }: { id: string }) {
  const { data } = useItem(Todo, id); // Todo | undefined, live
  return <h2>{data?.title ?? '…'}</h2>;
}
// #endregion item
export { FirstSyncBar, TodoTitle };
