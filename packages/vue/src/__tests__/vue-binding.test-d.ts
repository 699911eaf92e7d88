import type { DehydratedQueries, ModelSyncProgress, SyncProgressState, SyncStatus } from '@offgrid/core';
import { createDataStorePlugin, type DataStorePluginOptions } from '../data-store-plugin';
import { describe, expectTypeOf, it } from 'vitest';
import { ref, type ShallowRef } from 'vue';
import { useDataStore } from '../use-data-store';
import { useItem } from '../use-item';
import { useQuery } from '../use-query';
import { useRecordStatus, type RecordStatus } from '../use-record-status';
import { useSyncProgress } from '../use-sync-progress';
import { useSyncStatus } from '../use-sync-status';
import type { Models, Todo as TodoRecord, TodoList } from './test-store';

const { Todo, TodoList: List } = useDataStore<Models>().models;

describe('the Vue binding types', () => {
  it('useQuery returns refs of the model type', () => {
    const { data, isSynced, isLoading, error } = useQuery(Todo);
    expectTypeOf(data).toEqualTypeOf<Readonly<ShallowRef<readonly TodoRecord[]>>>();
    expectTypeOf(data.value).toEqualTypeOf<readonly TodoRecord[]>();
    expectTypeOf(useQuery(List).data.value).toEqualTypeOf<readonly TodoList[]>();
    expectTypeOf(isSynced.value).toEqualTypeOf<boolean>();
    expectTypeOf(isLoading.value).toEqualTypeOf<boolean>();
    expectTypeOf(error.value).toEqualTypeOf<Error | undefined>();
  });

  it('useQuery types predicates and options by the model, as values, refs or getters', () => {
    useQuery(Todo, (p) => p.title.beginsWith('a'), { sort: (s) => s.title('ASCENDING'), limit: 10 });
    useQuery(Todo, () => (p) => p.done.eq(true), () => ({ limit: 1 }));
    useQuery(Todo, ref((p) => p.done.eq(false)));
    // @ts-expect-error Todo has no field named nope
    useQuery(Todo, (p) => p.nope.eq(1));
    // @ts-expect-error done is a boolean
    useQuery(Todo, (p) => p.done.eq('yes'));
    // @ts-expect-error sort fields are the model's
    useQuery(Todo, undefined, { sort: (s) => s.nope('ASCENDING') });
  });

  it('useItem returns the record or undefined', () => {
    expectTypeOf(useItem(Todo, 'id').data.value).toEqualTypeOf<TodoRecord | undefined>();
    expectTypeOf(useItem(Todo, () => undefined).data.value).toEqualTypeOf<TodoRecord | undefined>();
  });

  it('useSyncStatus and useRecordStatus return refs of their status', () => {
    expectTypeOf(useSyncStatus().value).toEqualTypeOf<SyncStatus>();
    expectTypeOf(useSyncStatus().value.progress).toEqualTypeOf<Record<string, ModelSyncProgress> | undefined>();
    expectTypeOf(useSyncProgress().value).toEqualTypeOf<SyncProgressState>();
    expectTypeOf(useSyncProgress().value.total).toEqualTypeOf<number | undefined>();
    expectTypeOf(useRecordStatus(null).value).toEqualTypeOf<RecordStatus | undefined>();
    expectTypeOf(useDataStore().models).toBeObject();
  });

  it('refs are read-only', () => {
    const { data } = useQuery(Todo);
    // @ts-expect-error data is not for writing
    data.value = [];
  });

  it('throwOnError, a null id, and prefetched rows for the plugin', () => {
    useQuery(Todo, undefined, { throwOnError: true });
    useQuery(Todo, undefined, () => ({ throwOnError: (error: Error) => error.name === 'StoreStateError' }));
    expectTypeOf(useItem(Todo, null, { throwOnError: true }).data.value).toEqualTypeOf<TodoRecord | undefined>();
    expectTypeOf<DataStorePluginOptions['initialQueries']>().toEqualTypeOf<DehydratedQueries | undefined>();
    createDataStorePlugin(useDataStore(), { initialQueries: { queries: {} } });
    // @ts-expect-error throwOnError is a boolean or a predicate on the error
    useQuery(Todo, undefined, { throwOnError: 'yes' });
  });
});
