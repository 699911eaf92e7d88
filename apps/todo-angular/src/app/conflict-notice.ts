import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { DataStoreService } from '@offgrid/angular';
import { TEST_IDS } from '@offgrid/todo-shared';

@Component({
  selector: 'conflict-notice',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (notice(); as text) {
      <div class="conflict row" [attr.data-testid]="ids.conflictNotice" role="status">
        <span style="flex: 1">{{ text }}</span>
        <button class="secondary" (click)="notice.set(undefined)">Dismiss</button>
      </div>
    }
  `,
})
export class ConflictNotice {
  protected readonly ids = TEST_IDS;
  protected readonly notice = signal<string | undefined>(undefined);

  constructor() {
    inject(DataStoreService)
      .events$.pipe(takeUntilDestroyed())
      .subscribe((e) => {
        if (e.event === 'conflict') this.notice.set(`A change to a ${e.data.model} met a newer version on the server (${e.data.resolution}).`);
      });
  }
}
