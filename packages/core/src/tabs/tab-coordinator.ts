import type { ChangeBatch } from '../observe/change-feed';
import type { SyncStatus } from '../sync/sync-engine';

/** What tabs of one app tell each other. Records travel as stored fields (structured-clone safe). */
export type TabMessage =
  | { type: 'changes'; batch: ChangeBatch }
  | { type: 'outbox' }
  | { type: 'status'; status: SyncStatus; synced: Record<string, boolean> }
  | { type: 'hello' };

/** The slice of the Web Locks API the coordinator uses (so tests can pass their own). */
export interface LockManagerLike {
  request(name: string, options: { mode: 'exclusive'; signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/** The slice of BroadcastChannel the coordinator uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** Options of {@link TabCoordinator}. */
export interface TabCoordinatorOptions {
  /** Lock and channel name; tabs with the same name share a store (default: the storage's name). */
  name: string;
  locks?: LockManagerLike;
  channel?: (name: string) => ChannelLike;
}

/**
 * Lets several tabs of one app share one store: one tab holds a Web Lock and runs sync (the leader); the
 * others follow. Every tab posts the changes it commits on a BroadcastChannel so the others' live queries
 * stay current, followers tell the leader when they queue changes, and the leader shares its sync status.
 * When the leading tab closes, its lock is released and the next tab in line takes over.
 *
 * @example
 * const tabs = TabCoordinator.fromGlobals('todos') // undefined where Web Locks or BroadcastChannel are missing
 */
export class TabCoordinator {
  private channel: ChannelLike | undefined;
  private release: (() => void) | undefined;
  private readonly abort = new AbortController();
  private leader = false;
  private disposed = false;

  constructor(private readonly options: TabCoordinatorOptions) {}

  /** A coordinator over the browser's `navigator.locks` and `BroadcastChannel`, or undefined when either is missing. */
  static fromGlobals(name: string): TabCoordinator | undefined {
    const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
    const Channel = (globalThis as { BroadcastChannel?: new (name: string) => ChannelLike }).BroadcastChannel;
    if (!locks || !Channel) return undefined;
    return new TabCoordinator({ name, locks, channel: (n) => new Channel(n) });
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Starts listening to other tabs. */
  connect(onMessage: (message: TabMessage) => void): void {
    if (this.channel || !this.options.channel) return;
    this.channel = this.options.channel(`offgrid:${this.options.name}`);
    this.channel.addEventListener('message', (event) => onMessage(event.data as TabMessage));
  }

  post(message: TabMessage): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // A closed channel (the tab is going away) has nobody left to tell.
    }
  }

  /**
   * Waits for leadership (immediately when no other tab holds it) and calls `onLeader` once this tab leads.
   * Without a lock manager this tab leads at once.
   */
  campaign(onLeader: () => void): void {
    if (!this.options.locks) {
      this.leader = true;
      onLeader();
      return;
    }
    void this.options.locks
      .request(`offgrid:${this.options.name}`, { mode: 'exclusive', signal: this.abort.signal }, () => {
        if (this.disposed) return Promise.resolve();
        this.leader = true;
        onLeader();
        // Hold the lock for as long as this tab lives.
        return new Promise<void>((resolve) => {
          this.release = resolve;
        });
      })
      .catch(() => undefined);
  }

  /** Gives up leadership (and the place in line) and stops listening. */
  dispose(): void {
    this.disposed = true;
    this.leader = false;
    this.abort.abort();
    this.release?.();
    this.channel?.close();
    this.channel = undefined;
  }
}
