import { createDataStore, MemoryAdapter, type DataStore, type QueryObserver } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { StrictMode, type ReactNode } from 'react';
import { vi } from 'vitest';
import { DataStoreProvider } from '../data-store-context';

export const sdl = /* GraphQL */ `
  type Todo @model {
    id: ID!
    title: String!
    done: Boolean!
    priority: Int
  }
  type Note @model {
    id: ID!
    text: String!
  }
  type Reading @model {
    sensor: ID! @primaryKey(sortKeyFields: ["seq"])
    seq: Int!
    value: Float
  }
`;

export interface Todo {
  readonly id: string;
  readonly title: string;
  readonly done: boolean;
  readonly priority?: number | null;
  readonly createdAt?: string | null;
  readonly updatedAt?: string | null;
}
export interface Note {
  readonly id: string;
  readonly text: string;
}
export interface Reading {
  readonly sensor: string;
  readonly seq: number;
  readonly value?: number | null;
}
export type Models = { Todo: Todo; Note: Note; Reading: Reading };

const schema = parseSchema(sdl);

export function makeStore(): DataStore<Models> {
  return createDataStore<Models>({ schema, storage: new MemoryAdapter() });
}

export function wrapperFor(store: unknown, strict = false) {
  return ({ children }: { children: ReactNode }) => {
    const tree = <DataStoreProvider store={store as DataStore}>{children}</DataStoreProvider>;
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  };
}

/** Records every observer the store's live-query cache hands out, to check their listeners afterwards. */
export function spyObservers(store: DataStore<Models>) {
  const observers: QueryObserver<unknown>[] = [];
  const original = store.liveQueries.observe.bind(store.liveQueries);
  const spy = vi.spyOn(store.liveQueries, 'observe').mockImplementation((options) => {
    const observer = original<unknown>(options);
    observers.push(observer);
    return observer as never;
  });
  return { observers, spy };
}

/** How many listeners a core observer has (a private field, read for the test only). */
export function listenerCount(observer: QueryObserver<unknown>): number {
  return (observer as unknown as { listeners: Set<unknown> }).listeners.size;
}

export const flushMicrotasks = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A store whose storage counts read transactions and can hold them back (`hold()` until `release()`),
 * to see what a component shows while a query is being read.
 */
export function gatedStore() {
  const inner = new MemoryAdapter();
  const storage = Object.create(inner) as MemoryAdapter;
  const state = { reads: 0, gate: undefined as Promise<void> | undefined, open: () => {} };
  storage.read = (fn) => {
    state.reads++;
    return (state.gate ?? Promise.resolve()).then(() => inner.read(fn));
  };
  const store = createDataStore<Models>({ schema, storage });
  return {
    store,
    reads: () => state.reads,
    hold() {
      state.gate = new Promise<void>((resolve) => (state.open = resolve));
    },
    release() {
      state.gate = undefined;
      state.open();
    },
  };
}
