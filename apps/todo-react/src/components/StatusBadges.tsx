import { useSyncStatus } from '@offgrid/react';
import { TEST_IDS } from '@offgrid/todo-shared';
import { useBrowserOnline } from '../use-browser-online';

export function StatusBadges() {
  const sync = useSyncStatus();
  // Offline when the browser says so, or when the store cannot reach the server.
  const online = useBrowserOnline() && sync.state !== 'offline';
  return (
    <div className="badges">
      <span className="badge" data-testid={TEST_IDS.framework}>
        React
      </span>
      <span className="badge" data-testid={TEST_IDS.networkStatus} data-state={online ? 'online' : 'offline'}>
        {online ? 'Online' : 'Offline'}
      </span>
      <span className="badge" data-testid={TEST_IDS.pendingCount}>
        {sync.pending} pending
      </span>
    </div>
  );
}
