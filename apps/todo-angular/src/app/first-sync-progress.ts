import { ChangeDetectionStrategy, Component, computed } from '@angular/core';
import { injectSyncProgress } from '@offgrid/angular';
import { firstSyncBar, TEST_IDS } from '@offgrid/todo-shared';

/** A progress bar while a large first sync downloads the todos (hidden otherwise). */
@Component({
  selector: 'first-sync-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (bar().visible) {
      <div class="sync-progress" role="status">
        <span>{{ bar().label }}</span>
        <progress [attr.data-testid]="ids.syncProgress" [value]="bar().value" [attr.max]="bar().max ?? null">{{ bar().label }}</progress>
      </div>
    }
  `,
})
export class FirstSyncProgress {
  protected readonly ids = TEST_IDS;
  private readonly progress = injectSyncProgress();
  protected readonly bar = computed(() => firstSyncBar(this.progress()));
}
