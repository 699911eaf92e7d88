import type { NormalizedSchema } from '@offgrid/schema';
import { afterEach, beforeEach } from 'vitest';
import type { NewOutboxEntry } from '../../outbox/outbox-entry';
import type { StorageAdapter, StoredRecord } from '../storage-adapter';
import { conformanceSchema, fixtureKeyOf } from './fixture-schema';

/** Creates the adapter under test; each test gets a fresh, empty one. */
export type AdapterFactory = () => Promise<StorageAdapter> | StorageAdapter;

/** Options of `describeStorageConformance`. */
export interface StorageConformanceOptions {
  /**
   * Closes `previous` (if the adapter needs it) and returns an adapter over the same persisted data, as an app
   * restart would. When given, the suite checks that records, the outbox and metadata survive.
   */
  reopen?: (previous: StorageAdapter) => Promise<StorageAdapter>;
}

/** The adapter of the running test, replaced by `reopen()`. */
export interface AdapterHandle {
  readonly adapter: StorageAdapter;
  /** Reopens through `options.reopen` and returns what `open()` answered. */
  reopen(): Promise<NormalizedSchema | undefined>;
}

/** Registers hooks that give every test a fresh adapter, opened and (unless `prepare` is false) prepared. */
export function useAdapter(
  create: AdapterFactory,
  options: StorageConformanceOptions,
  setup: { prepare?: NormalizedSchema | false } = {},
): AdapterHandle {
  let current: StorageAdapter | undefined;
  beforeEach(async () => {
    current = await create();
    await current.open();
    const schema = setup.prepare === undefined ? conformanceSchema : setup.prepare;
    if (schema) await current.prepare(schema);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get adapter() {
      if (!current) throw new Error('conformance: no adapter outside a test');
      return current;
    },
    async reopen() {
      if (!current || !options.reopen) throw new Error('conformance: reopen is not configured');
      current = await options.reopen(current);
      return current.open();
    },
  };
}

/** Writes records in one transaction, keyed as `modelKeyOf` would key them. */
export async function seed(adapter: StorageAdapter, model: string, records: StoredRecord[]): Promise<void> {
  await adapter.write(async (tx) => {
    for (const r of records) await tx.put(model, fixtureKeyOf(model, r), r);
  });
}

/** A complete outbox entry without `seq`, for the outbox tests. */
export function outboxEntry(id: string, model: string, key: string, extra: Partial<NewOutboxEntry> = {}): NewOutboxEntry {
  return {
    id,
    model,
    key,
    operation: 'update',
    record: { id: key, title: `t-${id}` },
    changedFields: ['title'],
    status: 'pending',
    attempts: 0,
    createdAt: 1_700_000_000_000,
    ...extra,
  };
}
