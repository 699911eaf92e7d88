import { StoreStateError } from '../errors';
import type { MutableModel } from './init-schema';
import { modelNameOf } from './model-record';

/** Model constructors by name, registered by `initSchema` so the free `copyOf` finds a record's model. */
const copiers = new Map<string, (source: object, mutate: (draft: any) => void) => object>();

/** @internal */
export function registerCopier(model: string, copy: (source: object, mutate: (draft: any) => void) => object): void {
  copiers.set(model, copy);
}

/**
 * Makes a changed copy of a record and remembers which fields changed (only those are synced).
 * The same as `Model.copyOf`, without naming the model.
 *
 * @example
 * const done = copyOf(todo, (d) => { d.done = true })
 */
export function copyOf<T extends object>(record: T, mutate: (draft: MutableModel<T>) => void): T {
  const model = modelNameOf(record);
  const copy = model ? copiers.get(model) : undefined;
  if (!copy) throw new StoreStateError('copyOf() needs a record made by a model constructor or read from a store, not a plain object.');
  return copy(record, mutate as (draft: any) => void) as T;
}
