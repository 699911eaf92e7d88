import type { KeyInput, PredicateInput, QueryResult } from '@offgrid/core';
import { shallowRef, toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { followObserver } from './follow-observer';
import { modelName, queryKey, type ModelArg } from './query-inputs';
import { injectStore } from './use-data-store';

/** What {@link useItem} returns: refs that follow one record. */
export interface UseItemResult<T> {
  /** The record, or undefined while loading, when absent, deleted, or when the id is empty. */
  data: Readonly<ShallowRef<T | undefined>>;
  isSynced: Readonly<ShallowRef<boolean>>;
  isLoading: Readonly<ShallowRef<boolean>>;
  error: Readonly<ShallowRef<Error | undefined>>;
}

/** A predicate matching one key: the id string, or the key fields of a custom or composite key. */
function keyPredicate(fields: readonly string[], key: KeyInput): PredicateInput<any> {
  const values: Record<string, unknown> = typeof key === 'string' ? { [fields[0]!]: key } : key;
  return (p: any) => p.and((q: any) => fields.map((f) => q[f].eq(values[f])));
}

/**
 * One record by id (or key fields), live: it follows saves and deletes of that record, and a new id when
 * the id is a ref or getter. An empty id (`undefined`, `null`, `''`) shows nothing.
 *
 * @example
 * const props = defineProps<{ id: string }>()
 * const { data: todo } = useItem(Todo, () => props.id)
 */
export function useItem<T extends object = Record<string, any>>(
  model: ModelArg<T>,
  id: MaybeRefOrGetter<KeyInput | null | undefined>,
): UseItemResult<T> {
  const store = injectStore('useItem');
  const name = modelName(model);
  const data: ShallowRef<T | undefined> = shallowRef();
  const isSynced = shallowRef(false);
  const isLoading = shallowRef(true);
  const error = shallowRef<Error | undefined>(undefined);

  followObserver<T>(
    () => {
      const key = toValue(id);
      if (key === undefined || key === null || key === '') return undefined;
      const predicate = keyPredicate(store.schema.models[name]?.primaryKey ?? ['id'], key);
      return { key: queryKey(store, name, predicate, undefined), open: () => store.liveQuery<T>(model, predicate) };
    },
    (result: QueryResult<T> | undefined, failure?: Error) => {
      data.value = result?.items[0];
      isSynced.value = result?.isSynced ?? false;
      isLoading.value = result?.isLoading ?? false;
      error.value = result ? result.error : failure;
    },
  );

  return { data, isSynced, isLoading, error };
}
