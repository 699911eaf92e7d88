import { StoreStateError, type DataStore, type DehydratedQueries, type ModelSyncProgress, type SyncProgressState, type SyncStatus } from '@offgrid/core';
import { describe, expectTypeOf, it } from 'vitest';
import { useDataStore, type DataStoreProviderProps } from '../data-store-context';
import { useItem } from '../use-item';
import { useQuery, type UseQueryResult } from '../use-query';
import { useRecordStatus } from '../use-record-status';
import { useSyncProgress } from '../use-sync-progress';
import { useSyncStatus } from '../use-sync-status';
import type { Models, Todo } from './test-store';

declare const store: DataStore<{ Todo: Todo }>;
const TodoModel = store.models.Todo;

describe('types', () => {
  it('useQuery returns the model type', () => {
    const result = useQuery(TodoModel);
    expectTypeOf(result).toEqualTypeOf<UseQueryResult<Todo>>();
    expectTypeOf(result.data).toEqualTypeOf<readonly Todo[]>();
    expectTypeOf(result).toMatchTypeOf<{ data: readonly Todo[]; isSynced: boolean; isLoading: boolean; error: Error | undefined }>();
  });

  it('types predicates and sorts by the model', () => {
    useQuery(TodoModel, (p) => p.done.eq(false), { sort: (s) => s.title('ASCENDING'), limit: 10 });
    useQuery(TodoModel, undefined, { sort: [{ field: 'title', direction: 'asc' }] });
    // @ts-expect-error no such field
    useQuery(TodoModel, (p) => p.nope.eq(1));
    // @ts-expect-error done is a boolean
    useQuery(TodoModel, (p) => p.done.eq('yes'));
    // @ts-expect-error no such sort field
    useQuery(TodoModel, undefined, { sort: [{ field: 'nope', direction: 'asc' }] });
  });

  it('useItem returns the model type or undefined', () => {
    expectTypeOf(useItem(TodoModel, 'id').data).toEqualTypeOf<Todo | undefined>();
    expectTypeOf(useItem(TodoModel, undefined).isLoading).toEqualTypeOf<boolean>();
  });

  it('useDataStore takes the model map', () => {
    const typed = useDataStore<Models>();
    expectTypeOf(useQuery(typed.models.Note).data).toEqualTypeOf<readonly Models['Note'][]>();
  });

  it('status hooks', () => {
    expectTypeOf(useSyncStatus()).toEqualTypeOf<SyncStatus>();
    expectTypeOf(useSyncStatus().state).toEqualTypeOf<'stopped' | 'offline' | 'syncing' | 'synced'>();
    expectTypeOf(useSyncStatus().progress).toEqualTypeOf<Record<string, ModelSyncProgress> | undefined>();
    expectTypeOf(useSyncProgress()).toEqualTypeOf<SyncProgressState>();
    expectTypeOf(useSyncProgress().total).toEqualTypeOf<number | undefined>();
    expectTypeOf(useSyncProgress().models.Todo).toEqualTypeOf<ModelSyncProgress | undefined>();
    expectTypeOf(useRecordStatus({})).toEqualTypeOf<{ status: 'synced' | 'pending' | 'conflicted' | 'rejected'; reason?: string } | undefined>();
  });

  it('throwOnError, a null key, and prefetched rows for the provider', () => {
    useQuery(TodoModel, undefined, { throwOnError: true });
    useQuery(TodoModel, undefined, { throwOnError: (error) => error instanceof StoreStateError });
    expectTypeOf(useItem(TodoModel, null, { throwOnError: true }).data).toEqualTypeOf<Todo | undefined>();
    expectTypeOf<DataStoreProviderProps['initialQueries']>().toEqualTypeOf<DehydratedQueries | undefined>();
    // @ts-expect-error throwOnError is a boolean or a predicate on the error
    useQuery(TodoModel, undefined, { throwOnError: 'yes' });
  });
});
