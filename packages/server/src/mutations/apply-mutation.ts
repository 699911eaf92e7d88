import { inputSizeProblem, type InputSizeLimits } from '../limits/input-size';
import { DEFAULT_LIMITS } from '../server-options';
import { evaluatePredicate, MANAGED_FIELDS, modelKeyOf, ownProperty, recordProblem, type ModelDefinition, type NormalizedSchema, type PredicateNode } from '@offgrid/schema';
import { isAllowed, mayEver, ownerFields, withDefaultOwner, type Operation } from '../auth/authorize';
import type { Identity } from '../auth/identity';
import { automerge } from '../conflict/automerge';
import type { ConflictConfig, ConflictDecision } from '../conflict/conflict-config';
import { AppSyncError } from '../errors/appsync-error';
import type { RecordTransaction, RecordWrite, ServerRecord } from '../store/record-store';
import { recordJson } from './record-json';

/** One mutation as the API received it. */
export interface MutationRequest {
  model: string;
  operation: 'create' | 'update' | 'delete';
  /** Key fields, the fields to write, and optionally `_version` and `_mutationId`. */
  input: Record<string, unknown>;
  condition?: PredicateNode;
  mutationId?: string;
}

/** What the write path needs from the server. */
export interface MutationContext {
  schema: NormalizedSchema;
  identity: Identity;
  conflictFor(model: string): ConflictConfig;
  now(): number;
  /** Allow owners to hand a record to someone else (off by default). */
  allowOwnerTransfer?: boolean;
  /** Size limits of single input values (the server's limits; defaults when absent). */
  inputLimits?: InputSizeLimits;
}

function model(ctx: MutationContext, name: string): ModelDefinition {
  const def = typeof name === 'string' ? ownProperty(ctx.schema.models, name) : undefined;
  if (!def) throw new AppSyncError('BadRequest', `Unknown model "${String(name)}": name a model of the schema.`);
  return def;
}

function unauthorized(def: ModelDefinition, operation: string): AppSyncError {
  return new AppSyncError('Unauthorized', `Not Authorized to ${operation} ${def.name}: no @auth rule of ${def.name} allows this caller.`);
}

/** Splits the input into key, written fields and metadata; refuses what clients may not write. */
function readInput(ctx: MutationContext, def: ModelDefinition, operation: string, input: Record<string, unknown>) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AppSyncError('BadRequest', `${def.name}: the ${operation} input must be an object`);
  }
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === '_version' || k === '_mutationId') continue;
    if (MANAGED_FIELDS.has(k)) throw new AppSyncError('ValidationError', `${def.name}.${k} is managed by the server; remove it from the input`);
    const field = ownProperty(def.fields, k);
    if (!field || field.relation) {
      throw new AppSyncError('ValidationError', `${def.name}.${k}: unknown field; ${def.name} has ${def.fieldOrder.filter((f) => !def.fields[f]!.relation).join(', ')}`);
    }
    if (field.readOnly) throw new AppSyncError('ValidationError', `${def.name}.${k} is set by the server; remove it from the input`);
    const tooLarge = inputSizeProblem(field, v, ctx.inputLimits ?? DEFAULT_LIMITS);
    if (tooLarge) throw new AppSyncError('ValidationError', `${def.name}.${k} ${tooLarge}`);
    fields[k] = v;
  }
  const version = input._version;
  if (version !== undefined && version !== null && !Number.isSafeInteger(version)) {
    throw new AppSyncError('ValidationError', `${def.name}._version must be an integer, got ${JSON.stringify(version)}`);
  }
  return { fields, baseVersion: typeof version === 'number' ? version : undefined };
}

function checkRecord(ctx: MutationContext, def: ModelDefinition, data: Record<string, unknown>): void {
  const problem = recordProblem(ctx.schema, def.name, data);
  if (!problem) return;
  // A nested reason starts with its path (`.street: ...`, `[2]: ...`), which continues the field's.
  const reason = /^[.[]/.test(problem.reason) ? problem.reason : `: ${problem.reason}`;
  throw new AppSyncError('ValidationError', `${def.name}${problem.field ? `.${problem.field}` : ''}${reason}`);
}

function keyOf(def: ModelDefinition, data: Record<string, unknown>): string {
  try {
    return modelKeyOf(def, data);
  } catch (error) {
    throw new AppSyncError('ValidationError', (error as Error).message);
  }
}

function conditionHolds(condition: PredicateNode | undefined, stored: ServerRecord | undefined): boolean {
  if (!condition) return true;
  return evaluatePredicate(condition, stored ? recordJson(stored) : {});
}

/**
 * What an update or delete of a missing record answers, and so also of a record the caller may not read:
 * the same errorType, message and (null) data, so a refusal never tells whether a key exists.
 */
function notFound(def: ModelDefinition): AppSyncError {
  return conditionFailed(def, undefined);
}

/**
 * The stored record an update or delete acts on, after the checks that may refuse it. A caller no rule
 * lets do `operation` on the model is refused whether or not the record exists; a record the caller may
 * neither read nor change is answered as missing; one it may read but not change is refused as such.
 */
function target(ctx: MutationContext, def: ModelDefinition, stored: ServerRecord | undefined, operation: Operation): ServerRecord {
  if (!mayEver(def, ctx.identity, operation)) throw unauthorized(def, operation);
  if (!stored) throw notFound(def);
  if (isAllowed(def, ctx.identity, operation, stored.data)) return stored;
  if (!isAllowed(def, ctx.identity, 'read', stored.data)) throw notFound(def);
  throw unauthorized(def, operation);
}

function conditionFailed(def: ModelDefinition, stored: ServerRecord | undefined): AppSyncError {
  return new AppSyncError('ConditionalCheckFailedException', `The conditional request failed for ${def.name}; nothing was written.`, stored ? recordJson(stored) : null);
}

function conflict(def: ModelDefinition, stored: ServerRecord, message?: string): AppSyncError {
  return new AppSyncError('ConflictUnhandled', message ?? `Conflict resolver rejects mutation: ${def.name} is at version ${stored.version}.`, recordJson(stored));
}

function timestamps(def: ModelDefinition, data: Record<string, unknown>, nowIso: string, created: boolean) {
  if (created && def.timestamps.createdAt) data[def.timestamps.createdAt] = nowIso;
  if (def.timestamps.updatedAt) data[def.timestamps.updatedAt] = nowIso;
}

async function create(ctx: MutationContext, tx: RecordTransaction, def: ModelDefinition, req: MutationRequest): Promise<ServerRecord> {
  const { fields } = readInput(ctx, def, 'create', req.input);
  let data = withDefaultOwner(def, ctx.identity, fields);
  if (def.managedId && (data.id === undefined || data.id === null)) data.id = globalThis.crypto.randomUUID();
  for (const name of def.fieldOrder) {
    const f = def.fields[name]!;
    if (f.default !== undefined && ownProperty(data, name) === undefined) data[name] = defaultValue(f.type.name, f.default);
  }
  const now = ctx.now();
  const nowIso = new Date(now).toISOString();
  timestamps(def, data, nowIso, true);
  checkRecord(ctx, def, data);
  if (!isAllowed(def, ctx.identity, 'create', data)) throw unauthorized(def, 'create');
  const key = keyOf(def, data);
  const existing = await tx.get(def.name, key);
  // The key is taken by a record the caller may not read: say only that, before any condition or
  // conflict could describe the record.
  if (existing && !isAllowed(def, ctx.identity, 'read', existing.data)) throw conditionFailed(def, undefined);
  if (!conditionHolds(req.condition, existing?.deleted ? undefined : existing)) throw conditionFailed(def, existing);
  if (existing) {
    // A create for a key that exists (or was deleted) is a replay or a clash, never an overwrite.
    if (existing.deleted) throw conflict(def, existing, `${def.name} ${key} was deleted; it cannot be created again with the same key.`);
    throw conditionFailed(def, existing);
  }
  data = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
  const write: RecordWrite = {
    model: def.name,
    key,
    data,
    version: 1,
    deleted: false,
    lastChangedAt: now,
    fieldVersions: Object.fromEntries(Object.keys(data).map((f) => [f, 1])),
  };
  if (!(await tx.insert(write))) throw conditionFailed(def, await tx.get(def.name, key));
  return { ...write, seq: 0 };
}

function defaultValue(type: string, raw: string): unknown {
  if (type === 'Int' || type === 'Float' || type === 'AWSTimestamp') return Number(raw);
  if (type === 'Boolean') return raw === 'true';
  return raw;
}

async function decideCustom(ctx: MutationContext, def: ModelDefinition, stored: ServerRecord, operation: 'update' | 'delete', incoming: Record<string, unknown>, baseVersion: number): Promise<ConflictDecision> {
  const config = ctx.conflictFor(def.name);
  if (config.strategy !== 'CUSTOM') throw new Error('not custom');
  return config.resolve({ model: def.name, operation, incoming, baseVersion, stored: recordJson(stored), identity: ctx.identity });
}

async function update(ctx: MutationContext, tx: RecordTransaction, def: ModelDefinition, req: MutationRequest): Promise<ServerRecord> {
  const { fields, baseVersion } = readInput(ctx, def, 'update', req.input);
  const key = keyOf(def, fields);
  const stored = target(ctx, def, await tx.get(def.name, key), 'update');
  if (stored.deleted) throw conflict(def, stored, `${def.name} ${key} was deleted on the server.`);
  if (!conditionHolds(req.condition, stored)) throw conditionFailed(def, stored);
  const incoming = Object.fromEntries(Object.entries(fields).filter(([f]) => !def.primaryKey.includes(f)));
  for (const f of ownerFields(def)) {
    if (f in incoming && JSON.stringify(incoming[f]) !== JSON.stringify(stored.data[f]) && !ctx.allowOwnerTransfer && ctx.identity.kind !== 'admin') {
      throw new AppSyncError('Unauthorized', `${def.name}.${f} is the record's owner and cannot be changed.`);
    }
  }
  const base = baseVersion ?? stored.version;
  if (base > stored.version) throw conflict(def, stored, `${def.name} ${key}: _version ${base} is newer than the server's ${stored.version}.`);
  const config = ctx.conflictFor(def.name);
  let data: Record<string, unknown>;
  let changed: string[];
  if (base === stored.version || config.strategy === 'AUTOMERGE') {
    const rule = config.strategy === 'AUTOMERGE' ? (config.scalarRule ?? 'SERVER_WINS') : 'LAST_WRITER_WINS';
    ({ data, changed } = automerge(stored.data, stored.fieldVersions, incoming, base, rule));
  } else if (config.strategy === 'OPTIMISTIC_CONCURRENCY') {
    throw conflict(def, stored);
  } else {
    const decision = await decideCustom(ctx, def, stored, 'update', incoming, base);
    if (decision.action === 'reject') throw conflict(def, stored, decision.message);
    if (decision.action === 'remove') return tombstone(ctx, tx, stored);
    data = { ...decision.record };
    for (const k of [...MANAGED_FIELDS]) delete data[k];
    for (const k of def.primaryKey) data[k] = stored.data[k];
    changed = Object.keys({ ...data, ...stored.data }).filter((f) => JSON.stringify(data[f]) !== JSON.stringify(stored.data[f]));
  }
  if (changed.length === 0) return stored;
  const now = ctx.now();
  timestamps(def, data, new Date(now).toISOString(), false);
  checkRecord(ctx, def, data);
  // After an allowed owner transfer the record belongs to someone else; the caller was checked on the stored record.
  const transferred = ownerFields(def).some((f) => JSON.stringify(data[f]) !== JSON.stringify(stored.data[f]));
  if (!transferred && !isAllowed(def, ctx.identity, 'update', data)) throw unauthorized(def, 'update');
  const version = stored.version + 1;
  const fieldVersions = { ...stored.fieldVersions };
  for (const f of changed) fieldVersions[f] = version;
  const write: RecordWrite = { model: def.name, key, data, version, deleted: false, lastChangedAt: now, fieldVersions };
  if (!(await tx.update(write, stored.version))) throw new RetryableConflict();
  return { ...write, seq: 0 };
}

async function tombstone(ctx: MutationContext, tx: RecordTransaction, stored: ServerRecord): Promise<ServerRecord> {
  const now = ctx.now();
  const version = stored.version + 1;
  const write: RecordWrite = { ...stored, version, deleted: true, lastChangedAt: now, fieldVersions: { ...stored.fieldVersions, _deleted: version } };
  delete (write as Partial<ServerRecord>).seq;
  if (!(await tx.update(write, stored.version))) throw new RetryableConflict();
  return { ...write, seq: 0 };
}

async function remove(ctx: MutationContext, tx: RecordTransaction, def: ModelDefinition, req: MutationRequest): Promise<ServerRecord> {
  const { fields, baseVersion } = readInput(ctx, def, 'delete', req.input);
  const key = keyOf(def, fields);
  const stored = target(ctx, def, await tx.get(def.name, key), 'delete');
  if (stored.deleted) return stored;
  if (!conditionHolds(req.condition, stored)) throw conditionFailed(def, stored);
  const base = baseVersion ?? stored.version;
  const config = ctx.conflictFor(def.name);
  if (base !== stored.version) {
    // AUTOMERGE: a delete stays a delete, whatever changed since.
    if (config.strategy === 'OPTIMISTIC_CONCURRENCY') throw conflict(def, stored);
    if (config.strategy === 'CUSTOM') {
      const decision = await decideCustom(ctx, def, stored, 'delete', {}, base);
      if (decision.action === 'reject') throw conflict(def, stored, decision.message);
      if (decision.action === 'resolve') {
        return update(ctx, tx, def, { ...req, operation: 'update', input: { ...decision.record, ...Object.fromEntries(def.primaryKey.map((k) => [k, stored.data[k]])), _version: stored.version } });
      }
    }
  }
  return tombstone(ctx, tx, stored);
}

/** A conditional write lost a race with a concurrent writer; the caller re-reads and applies again. */
export class RetryableConflict extends Error {
  constructor() {
    super('concurrent write; retry');
  }
}

/**
 * Applies one mutation inside a transaction: authorization, validation, the condition, conflict
 * detection by `_version` and the model's strategy, and a conditional write. Throws an {@link AppSyncError}
 * (and writes nothing) when it is refused.
 */
export async function applyMutation(ctx: MutationContext, tx: RecordTransaction, req: MutationRequest): Promise<ServerRecord> {
  const def = model(ctx, req.model);
  try {
    switch (req.operation) {
      case 'create':
        return await create(ctx, tx, def, req);
      case 'update':
        return await update(ctx, tx, def, req);
      case 'delete':
        return await remove(ctx, tx, def, req);
      default:
        throw new AppSyncError('BadRequest', `${def.name}: unknown operation ${JSON.stringify(req.operation)}; use create, update or delete.`);
    }
  } catch (error) {
    // Every refusal, whatever raised it: the server's copy of a record goes only to a caller whose read
    // rule passes for that record (Amplify's conflict handler reads it for the caller's own records).
    if (error instanceof AppSyncError && error.data !== null && !(isRecordData(error.data) && isAllowed(def, ctx.identity, 'read', error.data))) {
      throw new AppSyncError(error.errorType, error.message, null);
    }
    throw error;
  }
}

function isRecordData(data: unknown): data is Record<string, unknown> {
  return data !== null && typeof data === 'object' && !Array.isArray(data);
}
