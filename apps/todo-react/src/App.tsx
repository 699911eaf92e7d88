import { useDataStore } from '@offgrid/react';
import { TEST_IDS, type TodoModels } from '@offgrid/todo-shared';
import { useEffect, useState } from 'react';
import { Account } from './components/Account';
import { ConflictNotice } from './components/ConflictNotice';
import { FirstSyncProgress } from './components/FirstSyncProgress';
import { ListPicker } from './components/ListPicker';
import { StatusBadges } from './components/StatusBadges';
import { Todos } from './components/Todos';
import { session } from './session';
import { startStore } from './start-store';

export function App() {
  const store = useDataStore<TodoModels>();
  const [listId, setListId] = useState<string | undefined>();
  const [startError, setStartError] = useState<string | undefined>();

  useEffect(() => {
    startStore(store).then(
      (list) => setListId((current) => current ?? list.id),
      (e: Error) => setStartError(e.message),
    );
  }, [store]);

  return (
    <main className="app" data-testid={TEST_IDS.app}>
      <header>
        <h1>Offgrid todos</h1>
        <StatusBadges />
        {session.usesAccounts && <Account />}
      </header>
      <FirstSyncProgress />
      {startError && (
        <p className="conflict" role="alert">
          The store could not start: {startError}
        </p>
      )}
      <ConflictNotice />
      <ListPicker listId={listId} onSelect={setListId} />
      <Todos listId={listId} />
    </main>
  );
}
