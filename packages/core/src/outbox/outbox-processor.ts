import { predicateToFilter, type NormalizedSchema } from '@offgrid/schema';
import { DISCARD, retryLocalFields, type ConflictHandler } from '../conflict/conflict-handler';
import type { SyncBridge } from '../datastore/sync-bridge';
import type { DataStoreEvent } from '../events/datastore-event';
import { sameValue } from '../schema/copy-of';
import { MANAGED_FIELDS } from '../schema/managed-fields';
import type { AuthProvider } from '../sync/auth-providers';
import type { GraphQLClient, RemoteError } from '../sync/graphql-client';
import { PUSH_MUTATIONS } from '../sync/graphql-documents';
import { backoffDelay } from '../sync/backoff';
import type { OutboxEntry } from './outbox-entry';

type Rec = Record<string, unknown>;

interface PushResult {
  mutationId: string;
  record: string | null;
  error: { errorType: string; message: string; data: string | null } | null;
}

/** Errors a retry cannot fix: the change goes to the dead-letter queue. */
const TERMINAL = new Set(['ValidationError', 'Unauthorized', 'BadRequest', 'ConditionalCheckFailedException', 'LimitExceeded']);

/** What the server receives for one outbox entry: the key, only the changed fields, the base version. */
export function mutationInput(schema: NormalizedSchema, entry: OutboxEntry): Rec {
  const model = schema.models[entry.model]!;
  const input: Rec = {};
  for (const k of model.primaryKey) input[k] = entry.record[k];
  if (entry.operation === 'create') {
    for (const [k, v] of Object.entries(entry.record)) {
      const f = model.fields[k];
      if (!f || f.relation || f.readOnly || MANAGED_FIELDS.has(k) || v === undefined) continue;
      input[k] = v;
    }
  } else if (entry.operation === 'update') {
    // A cleared field is sent as null on purpose; a field the user did not change is never sent.
    for (const k of entry.changedFields) if (!model.fields[k]?.readOnly) input[k] = entry.record[k] ?? null;
  }
  if (entry.operation !== 'create' && entry.baseVersion !== undefined) input._version = entry.baseVersion;
  return input;
}

/**
 * Drains the outbox in batches over `pushMutations`: the oldest change of each record per batch, so
 * per-record order holds and the version from one acknowledgement is carried to the next change.
 * Conflicts go to the conflict handler (attempts really count, retries back off); other refusals go to
 * the dead-letter queue and never block the rest. After a network failure the batch stays in flight and
 * is sent again unchanged: the server applies each mutation id at most once.
 */
export class OutboxProcessor {
  constructor(
    private readonly schema: NormalizedSchema,
    private readonly client: GraphQLClient,
    private readonly bridge: SyncBridge,
    private readonly emit: (event: DataStoreEvent) => void,
    private readonly options: {
      batchSize: number;
      conflictHandler?: ConflictHandler;
      maxConflictAttempts: number;
      /** The credential a change is sent with (multi-auth: chosen from its model's `@auth` rules); default one for all. */
      providerFor?: (entry: OutboxEntry) => AuthProvider | undefined;
    },
  ) {}

  /**
   * Sends until the outbox has nothing sendable. Returns the requests made and, after a conflict retry,
   * how long to wait before sending again (the backoff). Throws on network failure.
   * A change the server gave no verdict on stays in flight and is resent, same mutation id.
   */
  async drain(signal?: AbortSignal): Promise<{ requests: number; retryInMs?: number }> {
    let requests = 0;
    let limit = this.options.batchSize;
    for (;;) {
      if (signal?.aborted) return { requests };
      if (this.retryInMs !== undefined) {
        const retryInMs = this.retryInMs;
        this.retryInMs = undefined;
        return { requests, retryInMs };
      }
      const batch = await this.bridge.takeBatch(limit);
      if (batch.length === 0) return { requests };
      // One request per credential: a request carries one identity, so with multi-auth the changes to
      // public models and to owner models of one batch go in separate requests.
      let refusedWhole = false;
      for (const [provider, group] of this.byProvider(batch)) {
        requests++;
        if (!(await this.push(group, provider, signal))) refusedWhole = true;
      }
      // The whole request was refused (too large, too many): find the culprit one change at a time rather
      // than dead-letter the innocent ones with it.
      if (refusedWhole && batch.length > 1) limit = 1;
    }
  }

  private byProvider(batch: OutboxEntry[]): Map<AuthProvider | undefined, OutboxEntry[]> {
    const groups = new Map<AuthProvider | undefined, OutboxEntry[]>();
    for (const entry of batch) {
      const provider = this.options.providerFor?.(entry);
      const group = groups.get(provider);
      if (group) group.push(entry);
      else groups.set(provider, [entry]);
    }
    return groups;
  }

  /**
   * Sends one group of changes with one credential and applies the answers. Returns false when the server
   * refused the request as a whole (a group of one is then dead-lettered). Throws on network failure.
   */
  private async push(batch: OutboxEntry[], provider: AuthProvider | undefined, signal: AbortSignal | undefined): Promise<boolean> {
    // A network failure throws from here and leaves the batch in flight: the next drain sends it again
    // with the same mutation ids, which makes a lost response harmless.
    const response = await this.client.request<{ pushMutations: PushResult[] }>(
      PUSH_MUTATIONS,
      {
        mutations: batch.map((e) => ({
          mutationId: e.id,
          model: e.model,
          operation: e.operation.toUpperCase(),
          input: JSON.stringify(mutationInput(this.schema, e)),
          ...(e.condition ? { condition: JSON.stringify(predicateToFilter(e.condition)) } : {}),
        })),
      },
      signal,
      provider,
    );
    if (!response.data?.pushMutations) {
      const message = response.errors?.map((e) => e.message).join('; ') ?? 'no result';
      if (batch.length > 1) return false;
      // One change the server cannot take at all: dead-letter rather than loop forever.
      await this.bridge.reject(batch[0]!, { errorType: response.errors?.[0]?.errorType ?? 'BadRequest', message });
      return false;
    }
    const results = response.data.pushMutations;
    for (let i = 0; i < batch.length; i++) {
      const entry = batch[i]!;
      const result = results[i];
      // No answer for this one: it stays in flight and is sent again, same id.
      if (!result) continue;
      if (result.record) {
        await this.bridge.acknowledge(entry, JSON.parse(result.record) as Rec);
        continue;
      }
      const error: RemoteError = { message: result.error?.message ?? 'refused', errorType: result.error?.errorType ?? 'Unknown', data: result.error?.data ? JSON.parse(result.error.data) : null };
      if (error.errorType === 'ConflictUnhandled') await this.onConflict(entry, error);
      else if (TERMINAL.has(error.errorType ?? '')) await this.bridge.reject(entry, { errorType: error.errorType!, message: error.message });
      else {
        // Refused for a reason that may pass later: a new id (the old one's refusal is stored) and a pause.
        await this.bridge.renew(entry, { errorType: error.errorType!, message: error.message });
        this.retryInMs = Math.max(this.retryInMs ?? 0, backoffDelay(entry.attempts + 1, { baseMs: 100, capMs: 10_000 }));
      }
    }
    return true;
  }

  private retryInMs: number | undefined;

  private async onConflict(entry: OutboxEntry, error: RemoteError): Promise<void> {
    const remote = (error.data ?? undefined) as Rec | undefined;
    const attempts = entry.attempts + 1;
    const reason = { errorType: 'ConflictUnhandled', message: error.message };
    const report = (resolution: 'retry' | 'discard' | 'dead-letter') => {
      if (resolution === 'retry') this.retryInMs = Math.max(this.retryInMs ?? 0, backoffDelay(attempts, { baseMs: 100, capMs: 10_000 }));
      this.emit({ event: 'conflict', data: { model: entry.model, key: entry.key, operation: entry.operation, attempts, resolution } });
    };
    if (!remote || remote._deleted === true) {
      // The record is gone on the server: a delete is done; anything else cannot apply.
      report('discard');
      await this.bridge.discard(entry, remote);
      return;
    }
    if (attempts > this.options.maxConflictAttempts) {
      report('dead-letter');
      await this.bridge.reject(entry, { errorType: 'ConflictUnhandled', message: `Gave up after ${attempts - 1} conflict retries: ${error.message}` });
      return;
    }
    const local = (await this.bridge.localRecord(entry)) ?? entry.record;
    const patch: Rec = {};
    const fields = entry.operation === 'update' ? entry.changedFields : Object.keys(entry.record).filter((k) => !MANAGED_FIELDS.has(k));
    for (const f of fields) patch[f] = local[f];
    const handler = this.options.conflictHandler ?? retryLocalFields;
    const decision = await handler({
      modelName: entry.model,
      local: this.bridge.materialize(entry.model, local),
      patch,
      remote: this.bridge.materialize(entry.model, { ...remote }),
      operation: entry.operation,
      attempts,
    });
    if (decision === DISCARD) {
      report('discard');
      await this.bridge.discard(entry, remote);
      return;
    }
    const remoteVersion = remote._version as number;
    if (entry.operation === 'delete') {
      report('retry');
      await this.bridge.retryConflict(entry, entry.record, [], remoteVersion, reason);
      return;
    }
    const model = this.schema.models[entry.model]!;
    const resolved = decision as Rec;
    const changed = Object.keys({ ...resolved, ...remote }).filter(
      (k) => !MANAGED_FIELDS.has(k) && model.fields[k] && !model.fields[k]!.relation && !model.fields[k]!.readOnly && !model.primaryKey.includes(k) && !sameValue(resolved[k], remote[k]),
    );
    if (changed.length === 0) {
      report('discard');
      await this.bridge.discard(entry, remote);
      return;
    }
    report('retry');
    await this.bridge.retryConflict({ ...entry, operation: entry.operation === 'create' ? 'update' : entry.operation }, { ...remote, ...resolved }, changed, remoteVersion, reason);
  }
}
