/**
 * The DOM contract every demo app implements, so one end-to-end suite drives all four. Each value is a
 * `data-testid`. Items carry `data-id`, `data-done` ("true"/"false") and `data-pending` ("true" while a
 * change waits to reach the server). The network badge carries `data-state` ("online"/"offline") and the
 * pending badge the count as its text.
 */
export const TEST_IDS = {
  app: 'app',
  framework: 'framework',
  networkStatus: 'network-status',
  pendingCount: 'pending-count',
  conflictNotice: 'conflict-notice',
  listSelect: 'list-select',
  newListInput: 'new-list-input',
  addListButton: 'add-list-button',
  newTodoInput: 'new-todo-input',
  addTodoButton: 'add-todo-button',
  todoList: 'todo-list',
  todoItem: 'todo-item',
  todoToggle: 'todo-toggle',
  todoTitle: 'todo-title',
  todoEditButton: 'todo-edit-button',
  todoRenameInput: 'todo-rename-input',
  todoSaveButton: 'todo-save-button',
  todoDeleteButton: 'todo-delete-button',
  filterAll: 'filter-all',
  filterActive: 'filter-active',
  filterDone: 'filter-done',
  sortSelect: 'sort-select',
  todoCount: 'todo-count',
  /** The first-sync bar: a `<progress>` shown during a large first sync (see `firstSyncBar`), its label as text. */
  syncProgress: 'sync-progress',
} as const;

/** Filters the apps offer. */
export type TodoFilter = 'all' | 'active' | 'done';

/** Sorts the apps offer (the `sort-select` option values). */
export type TodoSort = 'title-asc' | 'title-desc' | 'newest';

export const SORTS: Array<{ value: TodoSort; label: string }> = [
  { value: 'title-asc', label: 'Title A–Z' },
  { value: 'title-desc', label: 'Title Z–A' },
  { value: 'newest', label: 'Newest first' },
];
