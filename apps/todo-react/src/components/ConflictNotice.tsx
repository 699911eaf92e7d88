import { useDataStore } from '@offgrid/react';
import { TEST_IDS } from '@offgrid/todo-shared';
import { useEffect, useState } from 'react';

export function ConflictNotice() {
  const store = useDataStore();
  const [notice, setNotice] = useState<string | undefined>();

  useEffect(() => {
    const subscription = store.events$.subscribe((e) => {
      if (e.event === 'conflict') setNotice(`A change to a ${e.data.model} met a newer version on the server (${e.data.resolution}).`);
    });
    return () => subscription.unsubscribe();
  }, [store]);

  if (!notice) return null;
  return (
    <div className="conflict row" data-testid={TEST_IDS.conflictNotice} role="status">
      <span style={{ flex: 1 }}>{notice}</span>
      <button type="button" className="secondary" onClick={() => setNotice(undefined)}>
        Dismiss
      </button>
    </div>
  );
}
