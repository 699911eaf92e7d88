import { store } from './create-store';
import { Todo } from './models';

declare function showBadge(text: string): void;
declare const todo: Todo;

// #region status
store.syncStatus$.subscribe(({ state, pending, rejected, error }) => {
  // state: 'stopped' | 'offline' | 'syncing' | 'synced'
  showBadge(`${state}: ${pending} to send${rejected ? `, ${rejected} refused` : ''}${error ? ` (${error})` : ''}`);
});
const synced: boolean = store.isSynced('Todo');
// #endregion status

// #region record-status
const { status, reason } = await store.recordStatus(todo); // 'synced' | 'pending' | 'conflicted' | 'rejected'
// #endregion record-status

// #region dead-letters
for (const entry of await store.deadLetters()) {
  console.log(entry.model, entry.operation, entry.error?.errorType, entry.error?.message);
  if (entry.error?.errorType === 'Unauthorized') await store.discardDeadLetter(entry); // the server's copy comes back
  else await store.retryDeadLetter(entry); // after fixing the cause
}
// #endregion dead-letters

// #region lifecycle
await store.stop(); // pause sync; local reads and writes keep working
await store.start(); // resume
const unsent = await store.pendingMutations();
const { discarded } = await store.clear(); // sign-out: wipe local data, and say what was not sent
// #endregion lifecycle

export { discarded, reason, status, synced, unsent };
