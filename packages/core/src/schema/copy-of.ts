import { StoreStateError, ValidationError } from '../errors';
import { MANAGED_FIELDS } from './managed-fields';
import { modelNameOf } from './model-record';

/** What `copyOf` changed: the fields the user touched, relative to the record it started from. */
export interface RecordPatch {
  base: Record<string, unknown>;
  changedFields: string[];
}

const patches = new WeakMap<object, RecordPatch>();

/** The fields a record made by `copyOf` changed, or undefined for a record not made by `copyOf`. */
export function patchOf(record: object): RecordPatch | undefined {
  return patches.get(record);
}

/** Deep equality for stored values (JSON-shaped: scalars, arrays, plain objects). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Which fields differ between two versions of a record (managed metadata ignored). */
export function changedFieldsBetween(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => !MANAGED_FIELDS.has(n) && !sameValue(before[n], after[n]));
}

/** How `copyRecord` turns a draft into a record of the same model. */
export interface CopyRules {
  /** Draft -> stored fields (relation objects become key fields); managed fields stay out. */
  normalize: (draft: Record<string, unknown>) => Record<string, unknown>;
  /** Stored fields -> a validated, frozen record carrying the source's managed metadata. */
  build: (fields: Record<string, unknown>) => Record<string, unknown>;
  keyFields: readonly string[];
  readOnlyFields: readonly string[];
}

/**
 * Produces a changed copy of a frozen record and remembers which fields changed, so only those are sent
 * to the server.
 */
export function copyRecord<T extends object>(source: T, mutate: (draft: T) => void, rules: CopyRules): T {
  const model = modelNameOf(source);
  if (!model) {
    throw new StoreStateError('copyOf() needs a record made by a model constructor or read from a store, not a plain object.');
  }
  const base = source as Record<string, unknown>;
  const draft = structuredClone({ ...base }) as Record<string, unknown>;
  mutate(draft as T);
  for (const field of [...rules.keyFields, ...MANAGED_FIELDS, ...rules.readOnlyFields]) {
    if (!sameValue(draft[field], base[field])) {
      const why = rules.keyFields.includes(field)
        ? 'is part of the primary key and cannot change; create a new record instead'
        : 'is managed by the store and server and cannot be set';
      throw new ValidationError(model, field, why);
    }
    delete draft[field];
  }
  const fields = rules.normalize(draft);
  for (const key of rules.keyFields) fields[key] = base[key];
  const changedFields = changedFieldsBetween(base, fields).filter((f) => !rules.readOnlyFields.includes(f));
  const next = rules.build(fields);
  patches.set(next, { base, changedFields });
  return next as T;
}
