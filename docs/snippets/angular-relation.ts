// #region relation
import { Component, input } from '@angular/core';
import { injectQuery } from '@offgrid/angular';
import { Todo } from './models';

// A live query on the foreign key: it follows the `listId` input and every save, here and from the server.
@Component({
  selector: 'app-list-todos',
  template: `<h3>{{ todos.data().length }} todos</h3>`,
})
export class ListTodosComponent {
  readonly listId = input.required<string>();
  protected readonly todos = injectQuery(Todo, () => (t) => t.listID.eq(this.listId()), { sort: (s) => s.title('ASCENDING') });
}
// #endregion relation
