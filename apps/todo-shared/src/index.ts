export { Priority, todoSchema, type Todo, type TodoList, type TodoModels } from './todo-schema';
export { createTodoStore, serverUrl } from './create-todo-store';
export { SORTS, TEST_IDS, type TodoFilter, type TodoSort } from './dom-contract';
export { todoActions, todoPredicate, todoSort } from './todo-actions';
export { firstSyncBar, LARGE_SYNC, type FirstSyncBar } from './first-sync-bar';
