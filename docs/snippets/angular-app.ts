// #region imports
import { ChangeDetectionStrategy, Component, provideZonelessChangeDetection, signal } from '@angular/core';
import { injectDataStore, injectQuery, injectSyncProgress, injectSyncStatus, provideDataStore } from '@offgrid/angular';
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

// #region progress
@Component({
  selector: 'first-sync-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (progress().syncing && progress().fullSync) {
      <label>
        Downloading your data: {{ progress().applied }}@if (progress().total !== undefined) { of {{ progress().total }}} records
        <progress [value]="progress().applied" [max]="progress().total ?? null"></progress>
      </label>
    }
  `,
})
export class FirstSyncBarComponent {
  // A signal: received and applied across models, the total when the server can tell it.
  protected readonly progress = injectSyncProgress();
}
// #endregion progress

// #region main

bootstrapApplication(TodosComponent, {
  providers: [provideZonelessChangeDetection(), provideDataStore(() => store)],
});
// #endregion main
