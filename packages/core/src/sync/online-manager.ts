import { BehaviorSubject, type Observable } from 'rxjs';

/**
 * Whether the network is usable, from the browser's `online`/`offline` events where present, and from
 * what the sync engine learns (a failed request, a closed socket). Tests replace it or call `setOnline`.
 *
 * @example
 * const online = new OnlineManager(); online.online$.subscribe((up) => console.log(up ? 'online' : 'offline'))
 */
export class OnlineManager {
  private readonly state: BehaviorSubject<boolean>;
  readonly online$: Observable<boolean>;
  private readonly cleanup: Array<() => void> = [];

  constructor(target: { addEventListener?: EventTarget['addEventListener']; removeEventListener?: EventTarget['removeEventListener'] } | undefined = globalThis) {
    const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
    this.state = new BehaviorSubject(nav?.onLine ?? true);
    this.online$ = this.state.asObservable();
    if (target?.addEventListener && target.removeEventListener) {
      const on = () => this.setOnline(true);
      const off = () => this.setOnline(false);
      target.addEventListener('online', on);
      target.addEventListener('offline', off);
      this.cleanup.push(() => {
        target.removeEventListener!('online', on);
        target.removeEventListener!('offline', off);
      });
    }
  }

  get isOnline(): boolean {
    return this.state.value;
  }

  setOnline(online: boolean): void {
    if (this.state.value !== online) this.state.next(online);
  }

  dispose(): void {
    for (const c of this.cleanup) c();
    this.state.complete();
  }
}
