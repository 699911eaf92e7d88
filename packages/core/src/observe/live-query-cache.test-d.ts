import { describe, expectTypeOf, it } from 'vitest';
import { createDataStore } from '../datastore/data-store';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import { todoSchema } from '../test-fixtures/todo-schema';
import type { LiveQueryCache } from './live-query-cache';
import { prefetchQueries, type DehydratedQueries, type HydratedQueries } from './prefetch-queries';
import type { QueryObserver, QueryPlaceholder, QueryResult } from './query-observer';

interface Todo {
  readonly id: string;
  readonly title: string;
  readonly done: boolean;
}

const store = createDataStore<{ Todo: Todo }>({ schema: todoSchema, storage: new MemoryAdapter() });
const { Todo } = store.models;

describe('the live-query cache, placeholders and prefetching', () => {
  it('liveQuery takes the caller and returns a typed, keyed observer', () => {
    const observer = store.liveQuery(Todo, (p) => p.done.eq(false), { limit: 5, caller: 'useQuery' });
    expectTypeOf(observer).toEqualTypeOf<QueryObserver<Todo>>();
    expectTypeOf(observer.key).toEqualTypeOf<string>();
    expectTypeOf(observer.getCurrentResult()).toEqualTypeOf<QueryResult<Todo>>();
    expectTypeOf(observer.setPlaceholder({ items: [] as Todo[], isLoading: true })).toEqualTypeOf<QueryObserver<Todo>>();
    expectTypeOf<QueryPlaceholder<Todo>['items']>().toEqualTypeOf<readonly Todo[]>();
    // @ts-expect-error the caller is a name
    store.liveQuery(Todo, undefined, { caller: 1 });
  });

  it('the cache, prefetching and hydration', async () => {
    expectTypeOf(store.liveQueries).toEqualTypeOf<LiveQueryCache>();
    expectTypeOf(store.liveQueries.size).toEqualTypeOf<number>();
    const state = await prefetchQueries([store.liveQuery(Todo)]);
    expectTypeOf(state).toEqualTypeOf<DehydratedQueries>();
    expectTypeOf(store.liveQueries.hydrate(state)).toEqualTypeOf<HydratedQueries>();
    expectTypeOf(store.liveQueries.hydrate(state).placeholderFor(store.liveQuery(Todo))).toEqualTypeOf<QueryPlaceholder<Todo> | undefined>();
  });
});
