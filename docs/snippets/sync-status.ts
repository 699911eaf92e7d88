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

// #region progress
import { syncProgressOf } from '@offgrid/core';

declare function showProgress(text: string, fraction?: number): void;

store.syncStatus$.subscribe((status) => {
  // Per model: { type: 'full' | 'delta', received, applied, total?, done }
  const todo = status.progress?.Todo;
  if (todo && !todo.done) console.log(`Todo: ${todo.applied} of ${todo.total ?? '?'} records`);
  // Summed over the models, for one bar.
  const { syncing, fullSync, applied, total } = syncProgressOf(status);
  if (syncing && fullSync) showProgress(`${applied}${total !== undefined ? ` of ${total}` : ''} records`, total ? applied / total : undefined);
});
store.events$.subscribe((e) => {
  if (e.event === 'syncProgress') console.log(e.data.model, e.data.received, e.data.applied, e.data.total);
});
// #endregion progress

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
