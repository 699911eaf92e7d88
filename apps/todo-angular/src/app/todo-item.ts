import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { injectRecordStatus } from '@offgrid/angular';
import { TEST_IDS, type Todo, type todoActions } from '@offgrid/todo-shared';

@Component({
  selector: 'li[todo-item]',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'todo',
    '[attr.data-testid]': 'ids.todoItem',
    '[attr.data-id]': 'todo().id',
    '[attr.data-done]': 'String(todo().done)',
    '[attr.data-pending]': 'String(pending())',
  },
  template: `
    <input type="checkbox" [attr.data-testid]="ids.todoToggle" aria-label="Done" [checked]="todo().done" (change)="actions().toggle(todo())" />
    @if (editing()) {
      <form class="row" style="flex: 1; margin: 0" (submit)="save($event)">
        <input [attr.data-testid]="ids.todoRenameInput" aria-label="Title" [value]="draft()" (input)="draft.set($any($event.target).value)" />
        <button type="submit" [attr.data-testid]="ids.todoSaveButton">Save</button>
      </form>
    } @else {
      <span class="title" [attr.data-testid]="ids.todoTitle">{{ todo().title }}</span>
      <button class="secondary" [attr.data-testid]="ids.todoEditButton" (click)="edit()">Edit</button>
    }
    <button class="secondary" [attr.data-testid]="ids.todoDeleteButton" aria-label="Delete" (click)="actions().remove(todo())">Delete</button>
  `,
})
export class TodoItem {
  readonly todo = input.required<Todo>();
  readonly actions = input.required<ReturnType<typeof todoActions>>();
  protected readonly ids = TEST_IDS;
  protected readonly String = String;
  // A new record object arrives with each change, so the status follows it.
  private readonly status = injectRecordStatus(this.todo);
  protected readonly pending = computed(() => this.status()?.status === 'pending' || this.status()?.status === 'conflicted');
  protected readonly editing = signal(false);
  protected readonly draft = signal('');

  protected edit(): void {
    this.draft.set(this.todo().title);
    this.editing.set(true);
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    if (this.draft().trim()) await this.actions().rename(this.todo(), this.draft());
    this.editing.set(false);
  }
}
