import type { QueryObserver, QueryResult } from '@offgrid/core';
import { untrack } from 'svelte';
import { getDataStoreContext, hydratedQueriesContext } from './context.js';
import { failedResult } from './query-store.js';
import type { AnyDataStore, QueryInput, QueryState, ThrowOnError } from './types.js';

type Attempt<T> = { key: string; observer?: QueryObserver<T>; failed?: QueryResult<T> };

/**
 * A live query for Svelte 5 runes. `input` is read inside an effect, so the query follows any `$state`
 * or prop it reads; the query is replaced only when what it selects changes (compared by its key, so a
 * rebuilt identical query reads nothing), keeping the previous records (with `isLoading: true`) until the
 * new ones arrive. An invalid predicate, sort or limit is reported in `error`, with no rows; with
 * `throwOnError` reading the result throws it, for a `<svelte:boundary>`. Queries with the same key share
 * one live query and one storage read. Nothing runs during server rendering. Call it during component
 * initialisation; the store defaults to the one in context. Read fields from the returned object
 * (`query.data`), do not destructure it, as with any reactive object.
 *
 * @example
 * <script lang="ts">
 *   let filter = $state<'all' | 'open'>('all')
 *   const todos = createQuery(() => ({
 *     model: Todo,
 *     predicate: filter === 'open' ? (p) => p.done.eq(false) : undefined,
 *     options: { sort: (s) => s.title('ASCENDING') },
 *   }))
 * </script>
 * {#each todos.data as todo (todo.id)}<li>{todo.title}</li>{/each}
 */
export function createQuery<T extends object>(input: () => QueryInput<T>, store: AnyDataStore = getDataStoreContext()): QueryState<T> {
  const attempt = (): Attempt<T> & { throwOnError: ThrowOnError | undefined } => {
    let throwOnError: ThrowOnError | undefined;
    try {
      const { model, predicate, options } = input();
      throwOnError = options?.throwOnError;
      const observer = store.liveQuery(model, predicate, { sort: options?.sort, limit: options?.limit, caller: 'createQuery' });
      return { key: observer.key, observer, throwOnError };
    } catch (error) {
      return { key: `failed:${(error as Error).message}`, failed: failedResult<T>(error as Error), throwOnError };
    }
  };
  const first = untrack(attempt);
  // Rows prefetched on the server show at once (server render and hydration alike), until the live result.
  if (first.observer) first.observer.setPlaceholder(hydratedQueriesContext()?.placeholderFor(first.observer));
  let state = $state.raw<QueryResult<T>>(first.failed ?? first.observer!.getCurrentResult());
  let throwOnError = $state.raw(first.throwOnError);
  let active: { key: string; stop?: () => void } | undefined;

  const follow = (next: Attempt<T>) => {
    if (next.key === active?.key) return;
    const switching = active !== undefined;
    active?.stop?.();
    active = { key: next.key };
    if (next.failed) {
      state = next.failed;
      return;
    }
    const observer = next.observer!;
    const previous = state;
    if (switching && !previous.error && previous.items.length > 0) observer.setPlaceholder({ items: previous.items, isLoading: true });
    active.stop = observer.subscribe(() => (state = observer.getCurrentResult()));
    state = observer.getCurrentResult();
  };

  $effect(() => {
    const built = attempt();
    // The first run follows the observer the initial state came from (it may hold prefetched rows).
    const next = active === undefined && built.key === first.key ? { ...built, observer: first.observer, failed: first.failed } : built;
    untrack(() => {
      throwOnError = next.throwOnError;
      follow(next);
    });
  });
  // Runs once, on destroy: the effect above re-runs without tearing down, so a same-key rerun keeps the query.
  $effect(() => () => active?.stop?.());

  const read = <V>(pick: (r: QueryResult<T>) => V): V => {
    const r = state;
    if (r.error && (typeof throwOnError === 'function' ? throwOnError(r.error) : throwOnError)) throw r.error;
    return pick(r);
  };
  return {
    get data() {
      return read((r) => r.items);
    },
    get isSynced() {
      return read((r) => r.isSynced);
    },
    get isLoading() {
      return read((r) => r.isLoading);
    },
    get error() {
      return state.error;
    },
  };
}
