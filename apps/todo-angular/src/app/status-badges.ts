import { ChangeDetectionStrategy, Component, computed } from '@angular/core';
import { injectSyncStatus } from '@offgrid/angular';
import { TEST_IDS } from '@offgrid/todo-shared';
import { injectBrowserOnline } from './browser-online';

@Component({
  selector: 'status-badges',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'badges' },
  template: `
    <span class="badge" [attr.data-testid]="ids.framework">Angular</span>
    <span class="badge" [attr.data-testid]="ids.networkStatus" [attr.data-state]="online() ? 'online' : 'offline'">
      {{ online() ? 'Online' : 'Offline' }}
    </span>
    <span class="badge" [attr.data-testid]="ids.pendingCount">{{ sync().pending }} pending</span>
  `,
})
export class StatusBadges {
  protected readonly ids = TEST_IDS;
  protected readonly sync = injectSyncStatus();
  private readonly browserOnline = injectBrowserOnline();
  // Offline when the browser says so, or when the store cannot reach the server.
  protected readonly online = computed(() => this.browserOnline() && this.sync().state !== 'offline');
}
