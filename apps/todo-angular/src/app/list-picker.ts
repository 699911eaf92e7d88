import { ChangeDetectionStrategy, Component, model, signal } from '@angular/core';
import { injectDataStore, injectQuery } from '@offgrid/angular';
import { TEST_IDS, todoActions, type TodoModels } from '@offgrid/todo-shared';

@Component({
  selector: 'list-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="row">
      <select [attr.data-testid]="ids.listSelect" aria-label="List" (change)="listId.set($any($event.target).value)">
        @for (list of lists.data(); track list.id) {
          <option [value]="list.id" [selected]="list.id === listId()">{{ list.name }}</option>
        }
      </select>
    </div>
    <form class="row" (submit)="addList($event)">
      <input [attr.data-testid]="ids.newListInput" placeholder="New list" aria-label="New list" [value]="name()" (input)="name.set($any($event.target).value)" />
      <button type="submit" class="secondary" [attr.data-testid]="ids.addListButton">Add list</button>
    </form>
  `,
})
export class ListPicker {
  readonly listId = model<string | undefined>();
  protected readonly ids = TEST_IDS;
  protected readonly name = signal('');
  private readonly store = injectDataStore<TodoModels>();
  private readonly actions = todoActions(this.store);
  protected readonly lists = injectQuery(this.store.models.TodoList, undefined, { sort: (s) => s.createdAt('ASCENDING').name('ASCENDING') });

  protected async addList(event: Event): Promise<void> {
    event.preventDefault();
    const text = this.name();
    if (!text.trim()) return;
    this.name.set('');
    this.listId.set((await this.actions.addList(text)).id);
  }
}
