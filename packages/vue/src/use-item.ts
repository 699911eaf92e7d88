import { ValidationError, type KeyInput, type PredicateInput } from '@offgrid/core';
import { shallowRef, toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { followQuery, type ThrowOnError } from './follow-query';
import type { ModelArg } from './query-inputs';
import { injectStore } from './use-data-store';

/** What {@link useItem} returns: refs that follow one record. */
export interface UseItemResult<T> {
  /** The record, or undefined while loading, when absent, deleted, or for a `null`/`undefined` id. */
  data: Readonly<ShallowRef<T | undefined>>;
  isSynced: Readonly<ShallowRef<boolean>>;
  isLoading: Readonly<ShallowRef<boolean>>;
  error: Readonly<ShallowRef<Error | undefined>>;
}

/** Options of {@link useItem}. */
export interface UseItemOptions {
  /** Throw the error from a watcher, for `onErrorCaptured` (see `useQuery`). */
  throwOnError?: ThrowOnError;
}

/** A predicate matching one key: the id string, or the key fields of a custom or composite key. */
function keyPredicate(fields: readonly string[], key: KeyInput): PredicateInput<any> {
  const values: Record<string, unknown> = typeof key === 'string' ? { [fields[0]!]: key } : key;
  return (p: any) => p.and((q: any) => fields.map((f) => q[f].eq(values[f])));
}

/**
 * One record by id (or key fields), live: it follows saves and deletes of that record, and a new id when
 * the id is a ref or getter. A `null` or `undefined` id selects nothing.
 *
 * @example
 * const props = defineProps<{ id: string }>()
 * const { data: todo } = useItem(Todo, () => props.id)
 */
export function useItem<T extends object = Record<string, any>>(
  model: ModelArg<T>,
  id: MaybeRefOrGetter<KeyInput | null | undefined>,
  options: UseItemOptions = {},
): UseItemResult<T> {
  const store = injectStore('useItem');
  const data: ShallowRef<T | undefined> = shallowRef();
  const isSynced = shallowRef(false);
  const isLoading = shallowRef(false);
  const error = shallowRef<Error | undefined>(undefined);
  followQuery<T>(
    () => {
      const key = toValue(id);
      if (key === undefined || key === null) return undefined;
      const name = typeof model === 'string' ? model : model.modelName;
      const fields = store.schema.models[name]?.primaryKey ?? ['id'];
      if (typeof key === 'string' && fields.length > 1) {
        throw new ValidationError(name, fields[0], `has a composite key; pass { ${fields.join(', ')} } to useItem instead of a string`);
      }
      return store.liveQuery<T>(model, keyPredicate(fields, key), { caller: 'useItem' });
    },
    (r) => {
      data.value = r.items[0];
      isSynced.value = r.isSynced;
      isLoading.value = r.isLoading;
      error.value = r.error;
    },
    options.throwOnError,
  );
  return { data, isSynced, isLoading, error };
}
