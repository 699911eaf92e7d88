import { untrack } from 'svelte';
import { getDataStoreContext } from './context.js';
import type { AnyDataStore, QueryInput, QueryState } from './types.js';

const LOADING: QueryState<never> = { data: [], isSynced: false, isLoading: true, error: undefined };

/**
 * A live query for Svelte 5 runes. `input` is read inside an effect, so the query follows any `$state`
 * or prop it reads: when they change the old query stops and the new one starts, keeping the previous
 * records (with `isLoading: true`) until the new ones arrive. Call it during component initialisation;
 * the store defaults to the one in context. Read fields from the returned object (`query.data`), do not
 * destructure it, as with any reactive object.
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
  let state = $state.raw<QueryState<T>>(LOADING);

  $effect(() => {
    const { model, predicate, options } = input();
    const observer = store.liveQuery(model, predicate, options);
    const publish = (r: ReturnType<typeof observer.getCurrentResult>) => {
      state = { data: r.items, isSynced: r.isSynced, isLoading: r.isLoading, error: r.error };
    };
    const unsubscribe = observer.subscribe(publish);
    const first = observer.getCurrentResult();
    // Read without tracking: the effect writes `state`, so depending on it would rerun the effect.
    if (first.isLoading) state = { ...untrack(() => state), isLoading: true };
    else publish(first);
    return unsubscribe;
  });

  return {
    get data() {
      return state.data;
    },
    get isSynced() {
      return state.isSynced;
    },
    get isLoading() {
      return state.isLoading;
    },
    get error() {
      return state.error;
    },
  };
}
