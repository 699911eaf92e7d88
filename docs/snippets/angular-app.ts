// #region imports
import { ChangeDetectionStrategy, Component, provideZonelessChangeDetection, signal } from '@angular/core';
import { injectDataStore, injectQuery, injectSyncStatus, provideDataStore } from '@offgrid/angular';
import { store } from './create-store';
import { type Models, Todo } from './models';

declare function bootstrapApplication(root: unknown, options: { providers: unknown[] }): Promise<unknown>; // from '@angular/platform-browser'
// #endregion imports

// #region component
@Component({
  selector: 'app-todos',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p>{{ status().state }}, {{ status().pending }} to send</p>
    <button (click)="showDone.set(!showDone())">{{ showDone() ? 'Hide' : 'Show' }} done</button>
    @if (todos.isLoading()) {
      <p>Loading…</p>
    } @else {
      <ul>
        @for (todo of todos.data(); track todo.id) {
          <li (click)="toggle(todo)">{{ todo.done ? '✓' : '' }} {{ todo.title }}</li>
        }
      </ul>
    }
  `,
})
export class TodosComponent {
  private readonly store = injectDataStore<Models>();
  protected readonly showDone = signal(false);
  protected readonly status = injectSyncStatus();
  // Signals; the predicate may read signals and the query follows them. Released through DestroyRef.
  protected readonly todos = injectQuery(
    Todo,
    () => (this.showDone() ? undefined : (t) => t.done.eq(false)),
    { sort: (s) => s.title('ASCENDING') },
  );

  protected toggle(todo: Todo) {
    return this.store.save(Todo.copyOf(todo, (d) => { d.done = !d.done; }));
  }
}
// #endregion component

// #region main

bootstrapApplication(TodosComponent, {
  providers: [provideZonelessChangeDetection(), provideDataStore(() => store)],
});
// #endregion main
