import type { DehydratedQueries, ModelSyncProgress, SyncProgressState, SyncStatus } from '@offgrid/core';
import type { Readable } from 'svelte/store';
import { describe, expectTypeOf, it } from 'vitest';
import { createQuery, itemStore, queryStore, recordStatusStore, setDataStoreContext, syncProgressStore, syncStatusStore, type DataStoreContextOptions, type ItemState, type RecordStatus } from '../index';
import { todoStore, type Todo as TodoRecord } from './todo-store';

const store = todoStore();
const { Todo } = store.models;

describe('types', () => {
  it('a query on a model holds that model', () => {
    expectTypeOf(queryStore(store, Todo)).toEqualTypeOf<
      Readable<{ data: readonly TodoRecord[]; isSynced: boolean; isLoading: boolean; error: Error | undefined }>
    >();
    expectTypeOf(queryStore(store, Todo, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING'), limit: 5 })).toExtend<
      Readable<{ data: readonly TodoRecord[] }>
    >();
  });

  it('checks predicates and sorts against the model', () => {
    // @ts-expect-error no such field
    queryStore(store, Todo, (p) => p.nope.eq(1));
    // @ts-expect-error done is a boolean
    queryStore(store, Todo, (p) => p.done.eq('yes'));
  });

  it('an item is the model or undefined', () => {
    expectTypeOf(itemStore(store, Todo, 'id')).toExtend<Readable<{ data: TodoRecord | undefined }>>();
  });

  it('statuses', () => {
    expectTypeOf(syncStatusStore(store)).toEqualTypeOf<Readable<SyncStatus>>();
    expectTypeOf(syncProgressStore(store)).toEqualTypeOf<Readable<SyncProgressState>>();
    expectTypeOf<SyncStatus['progress']>().toEqualTypeOf<Record<string, ModelSyncProgress> | undefined>();
    expectTypeOf<SyncProgressState['total']>().toEqualTypeOf<number | undefined>();
    expectTypeOf(recordStatusStore(store, {})).toEqualTypeOf<Readable<RecordStatus | undefined>>();
    expectTypeOf<RecordStatus['status']>().toEqualTypeOf<'synced' | 'pending' | 'conflicted' | 'rejected'>();
  });

  it('createQuery returns the model type', () => {
    const query = createQuery(() => ({ model: Todo }), store);
    expectTypeOf(query.data).toEqualTypeOf<readonly TodoRecord[]>();
  });

  it('throwOnError for createQuery, a null key for itemStore', () => {
    createQuery(() => ({ model: Todo, options: { throwOnError: true } }), store);
    createQuery(() => ({ model: Todo, options: { throwOnError: (error: Error) => error.name === 'StoreStateError' } }), store);
    expectTypeOf(itemStore(store, Todo, null)).toEqualTypeOf<Readable<ItemState<TodoRecord>>>();
    // @ts-expect-error throwOnError is a boolean or a predicate on the error
    createQuery(() => ({ model: Todo, options: { throwOnError: 'yes' } }), store);
  });

  it('setDataStoreContext takes prefetched rows', () => {
    expectTypeOf<DataStoreContextOptions['initialQueries']>().toEqualTypeOf<DehydratedQueries | undefined>();
    expectTypeOf(setDataStoreContext<typeof store>).parameter(1).toEqualTypeOf<DataStoreContextOptions | undefined>();
  });
});
