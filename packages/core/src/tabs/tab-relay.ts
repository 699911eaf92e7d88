import { materializeChanges, type ChangeFeed } from '../observe/change-feed';
import type { SyncStatus } from '../sync/sync-engine';
import type { TabCoordinator, TabMessage } from './tab-coordinator';

type Rec = Record<string, unknown>;

/** What the relay needs from the store it serves. */
export interface TabRelayHost {
  feed: ChangeFeed;
  materialize(model: string, stored: Rec): Rec;
  /** The leader's engine, when this tab leads. */
  leaderStatus(): SyncStatus | undefined;
  /** Another tab queued changes: the leader should push. */
  onOutboxNotice(): void;
  /** The leader's status reached a follower. */
  onStatus(status: SyncStatus, synced: Record<string, boolean>): void;
  synced(): Record<string, boolean>;
}

/**
 * Wires a store to its sibling tabs: posts every change this tab commits (as plain stored fields) and
 * replays the other tabs' changes into this tab's feed, so every tab's live queries stay current; carries
 * outbox notices to the leader and the leader's sync status to the followers.
 */
export class TabRelay {
  constructor(
    private readonly tabs: TabCoordinator,
    private readonly host: TabRelayHost,
  ) {
    tabs.connect((message) => this.receive(message));
    host.feed.batches$.subscribe((batch) => {
      if (batch.fromTab) return;
      // Posted as they are: the channel's structured clone already copies only a record's own enumerable
      // fields (not its model tag or relation accessors), so copying each record first only made garbage.
      tabs.post({ type: 'changes', batch: { source: batch.source, changes: batch.changes } });
    });
  }

  /** Shares the leader's status with the followers. */
  postStatus(status: SyncStatus): void {
    this.tabs.post({ type: 'status', status, synced: this.host.synced() });
  }

  /** Tells the leader this (following) tab queued changes. */
  postOutboxNotice(): void {
    this.tabs.post({ type: 'outbox' });
  }

  private receive(message: TabMessage): void {
    switch (message.type) {
      case 'changes':
        this.host.feed.emit({
          source: message.batch.source,
          fromTab: true,
          changes: materializeChanges(message.batch.changes, (model, stored) => this.host.materialize(model, stored)),
        });
        return;
      case 'outbox':
        this.host.onOutboxNotice();
        return;
      case 'status':
        if (!this.tabs.isLeader) this.host.onStatus(message.status, message.synced);
        return;
      case 'hello': {
        const status = this.tabs.isLeader ? this.host.leaderStatus() : undefined;
        if (status) this.postStatus(status);
        return;
      }
    }
  }
}
