import { buildLiveQuery, type KeyInput } from '@offgrid/core';
import { useMemo } from 'react';
import { keyPredicate } from './key-predicate';
import type { ModelArg } from './query-input';
import { useLiveQuery, type ThrowOnError } from './use-live-query';

/** What {@link useItem} returns. */
export interface UseItemResult<T> {
  /** The record, or `undefined` while loading, when absent, after it is deleted, or for a `null`/`undefined` key. */
  data: T | undefined;
  isLoading: boolean;
  error: Error | undefined;
}

/** Options of {@link useItem}. */
export interface UseItemOptions {
  /** Throw the error during render, for the nearest error boundary (see `useQuery`). */
  throwOnError?: ThrowOnError;
}

/**
 * One record by key, kept current: an update re-renders with the new record, a delete with `undefined`.
 * A `null` or `undefined` key selects nothing (for example while nothing is selected). A key that does
 * not fit the model (a string for a composite key) is reported in `error`.
 *
 * @example
 * function TodoTitle({ id }: { id: string }) {
 *   const { Todo } = useDataStore<Models>().models
 *   const { data: todo } = useItem(Todo, id)
 *   return <h2>{todo?.title ?? '…'}</h2>
 * }
 */
export function useItem<T extends object = Record<string, any>>(
  model: ModelArg<T>,
  key: KeyInput | null | undefined,
  options: UseItemOptions = {},
): UseItemResult<T> {
  const result = useLiveQuery<T>(
    'useItem',
    (store) => {
      if (key === undefined || key === null) return undefined;
      const def = store.schema.models[typeof model === 'string' ? model : model?.modelName];
      // An unknown model has no key fields: buildLiveQuery reports it.
      return buildLiveQuery(store.schema, model, def && keyPredicate(def, key), { caller: 'useItem' });
    },
    options.throwOnError,
  );
  const item = result.items[0];
  return useMemo(() => ({ data: item, isLoading: result.isLoading, error: result.error }), [item, result.isLoading, result.error]);
}
