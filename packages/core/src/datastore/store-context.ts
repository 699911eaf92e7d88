import { modelKeyOf, type ModelDefinition, type NormalizedSchema } from '@offgrid/schema';
import type { RelationLoader } from '../schema/model-record';
import type { StorageAdapter, StoredRecord } from '../storage/storage-adapter';

/** What the store's internal operations share: the schema, the storage and how records are made. */
export interface StoreContext {
  readonly schema: NormalizedSchema;
  readonly storage: StorageAdapter;
  readonly loader: RelationLoader;
  model(name: string): ModelDefinition;
  materialize(model: string, stored: StoredRecord): Record<string, unknown>;
  now(): Date;
}

/** The record key of `record` in `model`. */
export function keyOf(ctx: StoreContext, model: string, record: Record<string, unknown>): string {
  return modelKeyOf(ctx.model(model), record);
}
