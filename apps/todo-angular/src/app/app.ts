import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { injectDataStore } from '@offgrid/angular';
import { TEST_IDS, todoActions, type TodoModels } from '@offgrid/todo-shared';
import { ConflictNotice } from './conflict-notice';
import { FirstSyncProgress } from './first-sync-progress';
import { ListPicker } from './list-picker';
import { StatusBadges } from './status-badges';
import { Todos } from './todos';

@Component({
  selector: 'todo-app',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ConflictNotice, FirstSyncProgress, ListPicker, StatusBadges, Todos],
  template: `
    <main class="app" [attr.data-testid]="ids.app">
      <header>
        <h1>Offgrid todos</h1>
        <status-badges />
      </header>
      <first-sync-progress />
      @if (startError(); as message) {
        <p class="conflict" role="alert">The store could not start: {{ message }}</p>
      }
      <conflict-notice />
      <list-picker [(listId)]="listId" />
      <todo-items [listId]="listId()" />
    </main>
  `,
})
export class App {
  protected readonly ids = TEST_IDS;
  protected readonly listId = signal<string | undefined>(undefined);
  protected readonly startError = signal<string | undefined>(undefined);

  constructor() {
    const store = injectDataStore<TodoModels>();
    store
      .start()
      .then(() => todoActions(store).ensureList())
      .then((list) => this.listId.update((id) => id ?? list.id))
      .catch((e: Error) => this.startError.set(e.message));
  }
}
