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

/** Records every observer the store hands out, to check their listeners afterwards. */
export function spyObservers(store: DataStore<Models>) {
  const observers: QueryObserver<unknown>[] = [];
  const original = store.liveQuery.bind(store) as (...args: unknown[]) => QueryObserver<unknown>;
  const spy = vi.spyOn(store, 'liveQuery').mockImplementation(((...args: unknown[]) => {
    const observer = original(...args);
    observers.push(observer);
    return observer;
  }) as DataStore<Models>['liveQuery']);
  return { observers, spy };
}

/** How many listeners a core observer has (a private field, read for the test only). */
export function listenerCount(observer: QueryObserver<unknown>): number {
  return (observer as unknown as { listeners: Set<unknown> }).listeners.size;
}

export const flushMicrotasks = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
