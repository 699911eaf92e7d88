import { ValidationError, type KeyInput, type ModelConstructor, type PredicateNode } from '@offgrid/core';
import type { Readable } from 'svelte/store';
import { IDLE, observerStore, openQuery } from './query-store.js';
import type { AnyDataStore, ItemState } from './types.js';

/** The predicate selecting one record by its key (an id string, or the key fields of a custom key). */
function keyPredicate(model: Pick<ModelConstructor, 'definition'>, key: KeyInput): PredicateNode {
  const fields = model.definition.primaryKey;
  if (typeof key === 'string' && fields.length > 1) {
    throw new ValidationError(model.definition.name, fields[0], `has a composite key; pass { ${fields.join(', ')} } to itemStore instead of a string`);
  }
  const values: Record<string, unknown> = typeof key === 'string' ? { [fields[0]!]: key } : key;
  return { type: 'and', children: fields.map((field) => ({ type: 'field', field, op: 'eq', value: values[field] }) as PredicateNode) };
}

/**
 * One record as a Svelte store, kept current; `data` is `undefined` while loading, once deleted, and for
 * a `null` or `undefined` key (which selects nothing).
 *
 * @example
 * const todo = itemStore(store, Todo, id)
 * // {#if $todo.data}<h2>{$todo.data.title}</h2>{/if}
 */
export function itemStore<T extends object>(store: AnyDataStore, model: ModelConstructor<T>, key: KeyInput | null | undefined): Readable<ItemState<T>> {
  const source = key === undefined || key === null ? IDLE : openQuery(() => store.liveQuery(model, keyPredicate(model, key), { limit: 1, caller: 'itemStore' }));
  return observerStore<T, ItemState<T>>(source, (r) => ({
    data: r.items[0],
    isSynced: r.isSynced,
    isLoading: r.isLoading,
    error: r.error,
  }));
}
