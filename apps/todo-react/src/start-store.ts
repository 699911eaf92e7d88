import type { DataStore } from '@offgrid/core';
import { todoActions, type TodoList, type TodoModels } from '@offgrid/todo-shared';

const started = new WeakMap<DataStore<TodoModels>, Promise<TodoList>>();

/** Starts the store and makes sure a default list exists, once per store however often it is asked. */
export function startStore(store: DataStore<TodoModels>): Promise<TodoList> {
  let ready = started.get(store);
  if (!ready) {
    ready = store.start().then(() => todoActions(store).ensureList());
    started.set(store, ready);
  }
  return ready;
}
