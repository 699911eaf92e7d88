import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';
import { injectDataStore, injectQuery } from '@offgrid/angular';
import { SORTS, TEST_IDS, todoActions, todoPredicate, todoSort, type TodoFilter, type TodoModels, type TodoSort } from '@offgrid/todo-shared';
import { TodoItem } from './todo-item';

const FILTERS: Array<{ value: TodoFilter; label: string; testId: string }> = [
  { value: 'all', label: 'All', testId: TEST_IDS.filterAll },
  { value: 'active', label: 'Active', testId: TEST_IDS.filterActive },
  { value: 'done', label: 'Done', testId: TEST_IDS.filterDone },
];

@Component({
  selector: 'todo-items',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TodoItem],
  template: `
    <form class="row" (submit)="addTodo($event)">
      <input [attr.data-testid]="ids.newTodoInput" placeholder="What needs doing?" aria-label="New todo" [value]="title()" (input)="title.set($any($event.target).value)" />
      <button type="submit" [attr.data-testid]="ids.addTodoButton" [disabled]="!listId()">Add</button>
    </form>

    <div class="row">
      @for (f of filters; track f.value) {
        <button class="secondary" [attr.data-testid]="f.testId" [attr.aria-pressed]="filter() === f.value" (click)="filter.set(f.value)">{{ f.label }}</button>
      }
      <select [attr.data-testid]="ids.sortSelect" aria-label="Sort" (change)="sort.set($any($event.target).value)">
        @for (s of sorts; track s.value) {
          <option [value]="s.value" [selected]="sort() === s.value">{{ s.label }}</option>
        }
      </select>
    </div>

    <ul class="todos" [attr.data-testid]="ids.todoList">
      @for (todo of todos.data(); track todo.id) {
        <li todo-item [todo]="todo" [actions]="actions"></li>
      }
    </ul>

    <footer>
      <span [attr.data-testid]="ids.todoCount">{{ todos.data().length }} {{ todos.data().length === 1 ? 'todo' : 'todos' }}</span>
    </footer>
  `,
})
export class Todos {
  readonly listId = input<string | undefined>();
  protected readonly ids = TEST_IDS;
  protected readonly filters = FILTERS;
  protected readonly sorts = SORTS;
  protected readonly filter = signal<TodoFilter>('all');
  protected readonly sort = signal<TodoSort>('title-asc');
  protected readonly title = signal('');
  private readonly store = injectDataStore<TodoModels>();
  protected readonly actions = todoActions(this.store);
  protected readonly todos = injectQuery(
    this.store.models.Todo,
    () => todoPredicate(this.listId(), this.filter()),
    () => ({ sort: todoSort(this.sort()) }),
  );

  protected async addTodo(event: Event): Promise<void> {
    event.preventDefault();
    // Take the text now: the input may change while the list is read.
    const text = this.title();
    const listId = this.listId();
    const list = listId && text.trim() ? await this.store.query(this.store.models.TodoList, listId) : undefined;
    if (!list) return;
    if (this.title() === text) this.title.set('');
    await this.actions.addTodo(list, text);
  }
}
