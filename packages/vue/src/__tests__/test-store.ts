import { createDataStore, MemoryAdapter, type AsyncCollection, type DataStore, type QueryObserver } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { vi } from 'vitest';
import { createApp, effectScope, type EffectScope } from 'vue';
import { createDataStorePlugin } from '../data-store-plugin';

export const sdl = /* GraphQL */ `
  type TodoList @model {
    id: ID!
    name: String!
    todos: [Todo] @hasMany(indexName: "byList", fields: ["id"])
  }
  type Todo @model {
    id: ID!
    title: String!
    done: Boolean!
    rank: Int
    listID: ID @index(name: "byList", sortKeyFields: ["title"])
    list: TodoList @belongsTo(fields: ["listID"])
  }
`;

export interface TodoList {
  readonly id: string;
  readonly name: string;
  readonly todos: AsyncCollection<Todo>;
}
export interface Todo {
  readonly id: string;
  readonly title: string;
  readonly done: boolean;
  readonly rank?: number | null;
  readonly listID?: string | null;
  readonly list: Promise<TodoList | undefined>;
}
export type Models = { Todo: Todo; TodoList: TodoList };

export function createTestStore(): DataStore<Models> {
  return createDataStore<Models>({ schema: parseSchema(sdl), storage: new MemoryAdapter() });
}

/** Spies on `liveQuery` and keeps every observer a binding subscribes to (building one is free). */
export function trackObservers(store: DataStore<Models>): QueryObserver<any>[] {
  const opened: QueryObserver<any>[] = [];
  const original = store.liveQuery.bind(store);
  vi.spyOn(store, 'liveQuery').mockImplementation(((...args: Parameters<typeof original>) => {
    const observer = original(...args);
    const subscribe = observer.subscribe;
    Object.defineProperty(observer, 'subscribe', {
      value: (listener: Parameters<typeof subscribe>[0]) => {
        if (!opened.includes(observer)) opened.push(observer);
        return subscribe(listener);
      },
    });
    return observer;
  }) as typeof store.liveQuery);
  return opened;
}

/** How many listeners an observer has (0 once every binding let go). */
export function listenerCount(observer: QueryObserver<any>): number {
  return (observer as unknown as { listeners: Set<unknown> }).listeners.size;
}

/**
 * Runs composables in a bare effect scope with the store injected, as `effectScope()` users do: the app
 * supplies the injection context, the scope owns the effects.
 */
export function runInScope<R>(store: DataStore<Models>, fn: () => R): { result: R; scope: EffectScope } {
  const app = createApp({ render: () => null }).use(createDataStorePlugin(store));
  const scope = effectScope();
  const result = app.runWithContext(() => scope.run(fn)) as R;
  return { result, scope };
}
