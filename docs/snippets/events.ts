import type { DataStoreEvent } from '@offgrid/core';
import { store } from './create-store';

declare function toast(message: string): void;

// #region events
store.events$.subscribe((e: DataStoreEvent) => {
  switch (e.event) {
    case 'syncQueriesReady':
      console.log('every model is synced');
      break;
    case 'outboxStatus':
      console.log(e.data.isEmpty ? 'all changes sent' : `${e.data.pending} changes to send`);
      break;
    case 'outboxMutationFailed':
      toast(`${e.data.model} ${e.data.operation} refused: ${e.data.error.message}`);
      break;
    case 'conflict':
      console.log(`${e.data.model} ${e.data.key}: attempt ${e.data.attempts}, ${e.data.resolution}`);
      break;
    case 'syncLimitReached':
      toast(`${e.data.model}: only the first ${e.data.limit} records were synced`);
      break;
    case 'networkStatus':
      console.log(e.data.active ? 'online' : 'offline');
      break;
  }
});
// #endregion events
