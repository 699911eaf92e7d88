import { useSyncProgress } from '@offgrid/react';
import { firstSyncBar, TEST_IDS } from '@offgrid/todo-shared';

/** A progress bar while a large first sync downloads the todos (hidden otherwise). */
export function FirstSyncProgress() {
  const bar = firstSyncBar(useSyncProgress());
  if (!bar.visible) return null;
  return (
    <div className="sync-progress" role="status">
      <span>{bar.label}</span>
      <progress data-testid={TEST_IDS.syncProgress} value={bar.value} max={bar.max}>
        {bar.label}
      </progress>
    </div>
  );
}
