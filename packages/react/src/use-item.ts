import type { KeyInput } from '@offgrid/core';
import { useMemo } from 'react';
import { useDataStore } from './data-store-context';
import { keyPredicate } from './key-predicate';
import { modelNameOf, type ModelArg } from './query-input';
import { useQuery } from './use-query';

/** What {@link useItem} returns. */
export interface UseItemResult<T> {
  /** The record, or `undefined` while loading, when absent, or after it is deleted. */
  data: T | undefined;
  isLoading: boolean;
  error: Error | undefined;
}

/**
 * One record by key, kept current: an update re-renders with the new record, a delete with `undefined`.
 * Pass `undefined` as the key to select nothing (for example while nothing is selected).
 *
 * @example
 * function TodoTitle({ id }: { id: string }) {
 *   const { Todo } = useDataStore<Models>().models
 *   const { data: todo } = useItem(Todo, id)
 *   return <h2>{todo?.title ?? '…'}</h2>
 * }
 */
export function useItem<T extends object = Record<string, any>>(model: ModelArg<T>, key: KeyInput | null | undefined): UseItemResult<T> {
  const store = useDataStore();
  const enabled = key !== undefined && key !== null;
  const predicate = enabled ? keyPredicate(store.schema.models[modelNameOf(store.schema, model as ModelArg<object>)]!, key) : undefined;
  const { data, isLoading, error } = useQuery(model, predicate, { enabled });
  const item = data[0];
  return useMemo(() => ({ data: item, isLoading, error }), [item, isLoading, error]);
}
