import { computed, DestroyRef, effect, inject, signal, untracked, type Signal } from '@angular/core';
import { buildPredicate, buildSort, type ModelConstructor, type PredicateInput, type QueryResult, type SortInput } from '@offgrid/core';
import { DATA_STORE } from './data-store-token';

/** What a live query selects; `undefined` leaves it idle (e.g. an item without an id yet). */
export interface LiveQuerySpec<T> {
  predicate?: PredicateInput<T> | undefined;
  sort?: SortInput<T> | undefined;
  limit?: number | undefined;
}

const LOADING: QueryResult<never> = Object.freeze({ items: Object.freeze([]), isSynced: false, isLoading: true, error: undefined });
const IDLE: QueryResult<never> = Object.freeze({ ...LOADING, isLoading: false });

/**
 * Bridges the store's live-query observer to a signal. The spec is read in a `computed` and compared by
 * its built predicate and sort, so a new predicate function that selects the same records does not
 * restart the query. The observer is released when the spec changes and through `DestroyRef`.
 */
export function liveQuerySignal<T extends object>(model: ModelConstructor<T> | string, spec: () => LiveQuerySpec<T> | undefined): Signal<QueryResult<T>> {
  const store = inject(DATA_STORE);
  const name = typeof model === 'string' ? model : model.modelName;
  const query = computed(
    () => {
      const s = spec();
      if (!s) return undefined;
      try {
        const def = store.schema.models[name];
        const key = JSON.stringify([buildPredicate(store.schema, name, s.predicate), def && buildSort(def, s.sort), s.limit]);
        return { spec: s, key, error: undefined };
      } catch (error) {
        return { spec: s, key: `error:${String(error)}`, error: error as Error };
      }
    },
    { equal: (a, b) => a?.key === b?.key },
  );
  const result = signal<QueryResult<T>>(LOADING);
  let stop: (() => void) | undefined;

  const connect = (q: ReturnType<typeof query>) => {
    stop?.();
    stop = undefined;
    if (!q) return result.set(IDLE);
    if (q.error) return result.set({ ...IDLE, error: q.error });
    try {
      const observer = store.liveQuery<T>(model, q.spec.predicate, { sort: q.spec.sort, limit: q.spec.limit });
      result.set(observer.getCurrentResult());
      stop = observer.subscribe((r) => result.set(r));
    } catch (error) {
      result.set({ ...IDLE, error: error as Error });
    }
  };

  effect(() => {
    const q = query();
    untracked(() => connect(q));
  });
  inject(DestroyRef).onDestroy(() => {
    stop?.();
    stop = undefined;
  });
  return result.asReadonly();
}
