import { createDataStore, MemoryAdapter, type DataStore } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';

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
  readonly createdAt?: string | null;
  readonly updatedAt?: string | null;
}

export type Models = { Todo: Todo };

/** A local-only store over memory, as the tests use it. */
export function todoStore(): DataStore<Models> {
  return createDataStore<Models>({ schema: parseSchema(sdl), storage: new MemoryAdapter() });
}

/** Waits until `check` passes (live queries read storage asynchronously). */
export async function until(check: () => boolean, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
