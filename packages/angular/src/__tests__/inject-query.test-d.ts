import type { Signal } from '@angular/core';
import { expectTypeOf, test } from 'vitest';
import { DataStoreService, injectDataStore, injectItem, injectQuery, injectSyncProgress, injectSyncStatus, provideDataStore, type DataStoreProviderOptions, type QuerySignals } from '../index';
import type { DehydratedQueries, ModelSyncProgress, QuerySnapshot, SyncProgressState, SyncStatus } from '@offgrid/core';
import type { Observable } from 'rxjs';
import type { Models, Todo } from './test-store';

// biome-ignore lint/suspicious/noRedeclare: a model is both a value (the constructor) and a type, as in generated code
const { Todo } = injectDataStore<Models>().models;

test('a query on a model returns that model type', () => {
  expectTypeOf(injectQuery(Todo).data).toEqualTypeOf<Signal<readonly Todo[]>>();
  expectTypeOf(injectQuery(Todo)).toEqualTypeOf<QuerySignals<Todo>>();
  expectTypeOf(injectQuery(Todo).isLoading).toEqualTypeOf<Signal<boolean>>();
  expectTypeOf(injectItem(Todo, 'id').data).toEqualTypeOf<Signal<Todo | undefined>>();
  expectTypeOf(injectSyncStatus()).toEqualTypeOf<Signal<SyncStatus>>();
});

test('sync progress: per model in the status, summed by injectSyncProgress', () => {
  expectTypeOf(injectSyncStatus()().progress).toEqualTypeOf<Record<string, ModelSyncProgress> | undefined>();
  expectTypeOf(injectSyncProgress()).toEqualTypeOf<Signal<SyncProgressState>>();
  expectTypeOf(injectSyncProgress()().total).toEqualTypeOf<number | undefined>();
});

test('predicates and options are typed by the model, as values, signals or getters', () => {
  injectQuery(Todo, (p) => p.done.eq(true), { sort: (s) => s.title('ASCENDING'), limit: 10 });
  injectQuery(Todo, () => (p) => p.title.beginsWith('a'));
  injectQuery(Todo, undefined, () => ({ sort: (s) => s.done('DESCENDING') }));
  // @ts-expect-error not a field of Todo
  injectQuery(Todo, (p) => p.owner.eq('x'));
  // @ts-expect-error not a field of Todo
  injectQuery(Todo, undefined, { sort: (s) => s.owner('ASCENDING') });
});

test('the service observables are typed by the model', () => {
  const service = new DataStoreService(injectDataStore<Models>());
  expectTypeOf(service.query$(Todo)).toEqualTypeOf<Observable<QuerySnapshot<Todo>>>();
  expectTypeOf(service.item$(Todo, 'id')).toEqualTypeOf<Observable<Todo | undefined>>();
});

test('throwOnError, a null key, and prefetched rows for the provider', () => {
  injectQuery(Todo, undefined, { throwOnError: true });
  injectQuery(Todo, undefined, () => ({ throwOnError: (error: Error) => error.name === 'StoreStateError' }));
  expectTypeOf(injectItem(Todo, null, { throwOnError: true }).data).toEqualTypeOf<Signal<Todo | undefined>>();
  expectTypeOf<DataStoreProviderOptions['initialQueries']>().toEqualTypeOf<DehydratedQueries | undefined>();
  provideDataStore(injectDataStore<Models>(), { initialQueries: { queries: {} } });
  // @ts-expect-error throwOnError is a boolean or a predicate on the error
  injectQuery(Todo, undefined, { throwOnError: 'yes' });
});
