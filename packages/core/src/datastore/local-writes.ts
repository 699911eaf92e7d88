import { ConditionFailedError, ValidationError } from '../errors';
import type { RecordChange } from '../observe/change-feed';
import type { NewOutboxEntry, OutboxEntry } from '../outbox/outbox-entry';
import { mergeOutboxEntry } from '../outbox/outbox-merge';
import { evaluatePredicate } from '../predicates/evaluate-predicate';
import type { PredicateNode } from '../predicates/predicate-node';
import { changedFieldsBetween, patchOf, sameValue } from '../schema/copy-of';
import { MANAGED_FIELDS } from '../schema/managed-fields';
import { adoptRecord, modelNameOf } from '../schema/model-record';
import { validateRecord } from '../schema/validate-record';
import type { StorageWriter, StoredRecord } from '../storage/storage-adapter';
import { fieldsIn } from './relation-predicates';
import { keyOf, type StoreContext } from './store-context';

/** What a local write transaction did: the changes to announce and the outbox entries it queued. */
export interface LocalWrite {
  changes: RecordChange[];
  enqueued: OutboxEntry[];
  /** Net change of the outbox length. */
  outboxDelta: number;
  /** The transaction's clock reading: one per write, so a bulk save stamps every record alike and cheaply. */
  at?: { date: Date; iso: string };
}

function clock(ctx: StoreContext, out: LocalWrite): { date: Date; iso: string } {
  if (!out.at) {
    const date = ctx.now();
    out.at = { date, iso: date.toISOString() };
  }
  return out.at;
}

export function emptyWrite(): LocalWrite {
  return { changes: [], enqueued: [], outboxDelta: 0 };
}

function newEntry(
  at: Date,
  model: string,
  key: string,
  operation: OutboxEntry['operation'],
  record: StoredRecord,
  changedFields: string[],
  baseVersion: unknown,
  condition: PredicateNode | undefined,
): NewOutboxEntry {
  const entry: NewOutboxEntry = {
    id: globalThis.crypto.randomUUID(),
    model,
    key,
    operation,
    record,
    changedFields,
    status: 'pending',
    attempts: 0,
    createdAt: at.getTime(),
  };
  if (typeof baseVersion === 'number') entry.baseVersion = baseVersion;
  if (condition) entry.condition = condition;
  return entry;
}

/**
 * Queues a change in the same transaction as the record write, folding it into the record's last entry.
 * A create of a record that is not stored can only follow a delete (or nothing), which never merges, so
 * it skips the lookup: bulk loads do one query fewer per record. `pending` is the record's entries when
 * the caller already asked for them (together with the record, in one round trip).
 */
async function enqueue(
  tx: StorageWriter,
  entry: NewOutboxEntry,
  out: LocalWrite,
  pending?: Promise<OutboxEntry[]>,
): Promise<void> {
  const entries = entry.operation === 'create' ? [] : await (pending ?? tx.outboxFor(entry.model, entry.key));
  const merge = mergeOutboxEntry(entries[entries.length - 1], entry);
  if (merge.action === 'remove') {
    await tx.deleteOutbox(merge.seq);
    out.outboxDelta--;
    return;
  }
  const seq = await tx.putOutbox(merge.entry);
  if (merge.action === 'append') out.outboxDelta++;
  out.enqueued.push({ ...merge.entry, seq } as OutboxEntry);
}

/**
 * The stored form of a new record, made once: the user's fields without managed metadata, plus the
 * store's timestamps, frozen. The same object is stored, announced to live queries and returned.
 */
function newStoredRecord(ctx: StoreContext, modelName: string, record: Record<string, unknown>, nowIso: string): StoredRecord {
  const model = ctx.model(modelName);
  const next: StoredRecord = {};
  for (const k in record) if (!MANAGED_FIELDS.has(k)) next[k] = record[k];
  const { createdAt, updatedAt } = model.timestamps;
  if (createdAt) next[createdAt] = nowIso;
  if (updatedAt) next[updatedAt] = nowIso;
  return adoptRecord(model, next, ctx.loader);
}

/**
 * Saves many records in one transaction with the same outcome as `saveRecord` on each in turn, but
 * without a storage round trip per record: which records exist is asked once per model (`getMany`), and
 * each run of new records is written with one `putMany` per model and one `putOutboxMany`. A record that
 * exists, or whose key came earlier in the same call, is an update and goes through `saveRecord` after
 * the run before it is written, so the outbox keeps the order of the records.
 */
export async function saveRecords(
  ctx: StoreContext,
  tx: StorageWriter,
  records: readonly Record<string, unknown>[],
  out: LocalWrite,
): Promise<StoredRecord[]> {
  const n = records.length;
  const models = new Array<string>(n);
  const keys = new Array<string>(n);
  const positions = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const model = assertModelRecord(ctx, records[i], 'saveMany');
    models[i] = model;
    keys[i] = keyOf(ctx, model, records[i]!);
    const at = positions.get(model);
    if (at) at.push(i);
    else positions.set(model, [i]);
  }
  const existing = new Array<StoredRecord | undefined>(n);
  for (const [model, at] of positions) {
    const found = await tx.getMany(model, at.map((i) => keys[i]!));
    at.forEach((i, j) => {
      existing[i] = found[j];
    });
  }

  const saved = new Array<StoredRecord>(n);
  const seen = new Map<string, Set<string>>();
  let rows = new Map<string, Array<[string, StoredRecord]>>();
  let entries: NewOutboxEntry[] = [];
  const flush = async () => {
    if (entries.length === 0) return;
    const [seqs] = await Promise.all([tx.putOutboxMany(entries), ...[...rows].map(([model, r]) => tx.putMany(model, r))]);
    entries.forEach((entry, i) => {
      (entry as OutboxEntry).seq = seqs[i]!;
      out.enqueued.push(entry as OutboxEntry);
    });
    out.outboxDelta += entries.length;
    rows = new Map();
    entries = [];
  };

  for (let i = 0; i < n; i++) {
    const model = models[i]!;
    const key = keys[i]!;
    let written = seen.get(model);
    if (!written) seen.set(model, (written = new Set()));
    if (existing[i] || written.has(key)) {
      await flush();
      saved[i] = await saveRecord(ctx, tx, records[i]!, undefined, out);
    } else {
      const { date, iso } = clock(ctx, out);
      const next = newStoredRecord(ctx, model, records[i]!, iso);
      let r = rows.get(model);
      if (!r) rows.set(model, (r = []));
      r.push([key, next]);
      out.changes.push({ model, key, type: 'insert', record: next });
      entries.push(newEntry(date, model, key, 'create', next, [], undefined, undefined));
      saved[i] = next;
    }
    written.add(key);
  }
  await flush();
  return saved;
}

/**
 * Writes a saved record and its outbox entry. An update applies only the fields the user changed on top
 * of the stored record, so two edits made from the same snapshot do not undo each other.
 */
export async function saveRecord(
  ctx: StoreContext,
  tx: StorageWriter,
  record: Record<string, unknown>,
  condition: PredicateNode | undefined,
  out: LocalWrite,
): Promise<StoredRecord> {
  const modelName = modelNameOf(record)!;
  const model = ctx.model(modelName);
  const key = keyOf(ctx, modelName, record);
  const patch = patchOf(record);
  // A copyOf() result is almost always an update, which needs the record's outbox entries too: both
  // reads go out together (one IndexedDB round trip instead of two). Its rejection is handled below.
  const pending = patch ? tx.outboxFor(modelName, key) : undefined;
  pending?.catch(() => undefined);
  const existing = await tx.get(modelName, key);
  const { date, iso: nowIso } = clock(ctx, out);
  const { updatedAt } = model.timestamps;

  if (!existing) {
    if (condition) {
      throw new ConditionFailedError(modelName, key);
    }
    const next = newStoredRecord(ctx, modelName, record, nowIso);
    out.changes.push({ model: modelName, key, type: 'insert', record: next });
    // The record and its outbox entry are requested together and awaited together: one round trip.
    await Promise.all([tx.put(modelName, key, next), enqueue(tx, newEntry(date, modelName, key, 'create', next, [], undefined, undefined), out)]);
    return next;
  }

  const userFields = (r: Record<string, unknown>) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (!MANAGED_FIELDS.has(k) && !model.fields[k]?.readOnly) o[k] = v;
    return o;
  };
  let next: StoredRecord;
  let changed: string[];
  if (patch) {
    changed = patch.changedFields.filter((f) => !sameValue(existing[f], record[f]));
    next = { ...existing };
    for (const f of changed) {
      if (record[f] === undefined) delete next[f];
      else next[f] = record[f];
    }
  } else {
    changed = changedFieldsBetween(userFields(existing), userFields(record));
    next = { ...userFields(record) };
    for (const [k, v] of Object.entries(existing)) if (MANAGED_FIELDS.has(k) || model.fields[k]?.readOnly) next[k] = v;
  }
  if (changed.length === 0) return existing;
  if (condition && !evaluatePredicate(condition, existing)) throw new ConditionFailedError(modelName, key);
  if (updatedAt) next[updatedAt] = nowIso;
  validateRecord(ctx.schema, modelName, next);
  adoptRecord(model, next, ctx.loader);
  out.changes.push({ model: modelName, key, type: 'update', record: next, previous: existing });
  await Promise.all([
    tx.put(modelName, key, next),
    enqueue(tx, newEntry(date, modelName, key, 'update', next, changed, existing._version, condition), out, pending),
  ]);
  return next;
}

/**
 * Deletes a record, its dependents (hasMany children, hasOne targets, many-to-many join records) as
 * Amplify does, and queues a delete for each. Returns the deleted record, or undefined if absent.
 */
export async function deleteRecord(
  ctx: StoreContext,
  tx: StorageWriter,
  modelName: string,
  key: string,
  condition: PredicateNode | undefined,
  out: LocalWrite,
  visited = new Set<string>(),
): Promise<StoredRecord | undefined> {
  const id = `${modelName}\u0000${key}`;
  if (visited.has(id)) return undefined;
  visited.add(id);
  const existing = await tx.get(modelName, key);
  if (!existing) return undefined;
  if (condition && !evaluatePredicate(condition, existing)) throw new ConditionFailedError(modelName, key);
  const model = ctx.model(modelName);
  for (const name of model.fieldOrder) {
    const relation = model.fields[name]!.relation;
    if (!relation || relation.kind === 'belongsTo') continue;
    const pk = model.primaryKey.map((k) => existing[k]);
    if (relation.kind === 'hasOne') {
      const related = ctx.model(relation.model);
      const target = relation.targetNames.map((f) => existing[f]);
      if (target.some((v) => v === null || v === undefined)) continue;
      const childKey = keyOf(ctx, related.name, Object.fromEntries(related.primaryKey.map((k, i) => [k, target[i]])));
      await deleteRecord(ctx, tx, related.name, childKey, undefined, out, visited);
      continue;
    }
    const child = relation.kind === 'hasMany' ? relation.model : relation.joinModel;
    const dependents = await tx.query(child, { predicate: fieldsIn(relation.associatedWith, [pk]) });
    for (const d of dependents) {
      await deleteRecord(ctx, tx, child, keyOf(ctx, child, d), undefined, out, visited);
    }
  }
  await tx.delete(modelName, key);
  out.changes.push({ model: modelName, key, type: 'delete', previous: existing });
  await enqueue(tx, newEntry(clock(ctx, out).date, modelName, key, 'delete', existing, [], existing._version, condition), out);
  return existing;
}

/** Refuses a record that is not an Offgrid record of this store's schema. */
export function assertModelRecord(ctx: StoreContext, record: unknown, action: string): string {
  const name = modelNameOf(record);
  if (!name) {
    throw new ValidationError(
      'record',
      undefined,
      `${action}() needs a record made with a model constructor (new Todo({...})), a copyOf() result or a record read from the store; got ${JSON.stringify(record)}`,
    );
  }
  ctx.model(name);
  return name;
}
