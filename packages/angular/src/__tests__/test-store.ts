import { createDataStore, MemoryAdapter, type DataStore, type QueryObserver } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { vi } from 'vitest';

export const sdl = /* GraphQL */ `
  type Todo @model {
    id: ID!
    title: String!
    done: Boolean!
  }
`;

export interface Todo {
  readonly id: string;
  readonly title: string;
  readonly done: boolean;
}

export type Models = { Todo: Todo };

export function createTestStore(): DataStore<Models> {
  return createDataStore<Models>({ schema: parseSchema(sdl), storage: new MemoryAdapter() });
}

/** Counts the live-query listeners the binding holds on `store`, and the observers it subscribed, by wrapping `liveQuery`. */
export function trackListeners(store: DataStore<Models>): { active: () => number; observers: QueryObserver<object>[] } {
  let active = 0;
  const observers: QueryObserver<object>[] = [];
  const liveQuery = store.liveQuery.bind(store);
  vi.spyOn(store, 'liveQuery').mockImplementation((...args: Parameters<typeof liveQuery>) => {
    const observer = liveQuery(...args);
    const subscribe = observer.subscribe;
    Object.defineProperty(observer, 'subscribe', {
      value: (listener: Parameters<typeof subscribe>[0]) => {
        // Building an observer is free; count the ones the binding follows.
        if (!observers.includes(observer)) observers.push(observer);
        active++;
        const stop = subscribe(listener);
        let stopped = false;
        return () => {
          if (!stopped) active--;
          stopped = true;
          stop();
        };
      },
    });
    return observer;
  });
  return { active: () => active, observers };
}
