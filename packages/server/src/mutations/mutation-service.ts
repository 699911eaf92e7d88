import type { ChangeBus } from '../pubsub/change-bus';
import { identityKey } from '../auth/identity-key';
import { AppSyncError } from '../errors/appsync-error';
import type { RecordStore, ServerRecord } from '../store/record-store';
import { prefetchRecords } from './prefetch-records';
import { applyMutation, RetryableConflict, type MutationContext, type MutationRequest } from './apply-mutation';
import { payloadHash } from './payload-hash';
import { recordJson } from './record-json';

/** The answer to one mutation: the record after it, or why it was refused. */
export type MutationOutcome =
  | { ok: true; record: Record<string, unknown> }
  | { ok: false; error: { errorType: string; message: string; data: unknown } };

const MAX_ATTEMPTS = 5;

/** The answer to a mutation id this caller already used for another mutation: a client bug, not a retry. */
function reusedId(mutationId: string): MutationOutcome {
  return {
    ok: false,
    error: {
      errorType: 'BadRequest',
      message: `Mutation id "${mutationId}" was already used by this caller for a different mutation (model, operation, input or condition differ); nothing was written. Generate a fresh id for every new mutation and reuse an id only to retry the same one.`,
      data: null,
    },
  };
}

/**
 * Applies mutations in one transaction, each at most once per caller and mutation id (a retry answers
 * with the stored result; another caller's equal id is another mutation), then publishes the committed
 * records to subscribers. A refused mutation writes nothing and does not stop the others.
 *
 * @example
 * const [outcome] = await mutations.apply(ctx, [{ model: 'Todo', operation: 'update', input, mutationId }])
 */
export class MutationService {
  constructor(
    private readonly store: RecordStore,
    private readonly bus: ChangeBus,
  ) {}

  async apply(ctx: MutationContext, requests: MutationRequest[]): Promise<MutationOutcome[]> {
    const caller = identityKey(ctx.identity);
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, written } = await this.store.transaction(async (tx) => {
          await prefetchRecords(ctx.schema, tx, requests);
          const ids = requests.flatMap((req) => (req.mutationId ? [req.mutationId] : []));
          if (ids.length > 1) await tx.prefetchMutations(caller, ids);
          const outcomes: MutationOutcome[] = [];
          for (const req of requests) {
            const hash = req.mutationId ? payloadHash(req) : '';
            if (req.mutationId) {
              // Looked up for this caller only: another caller's result under the same id is never found.
              const previous = await tx.getMutation(caller, req.mutationId);
              if (previous) {
                outcomes.push(previous.payloadHash === hash ? (previous.result as MutationOutcome) : reusedId(req.mutationId));
                continue;
              }
            }
            let outcome: MutationOutcome;
            try {
              const record = await applyMutation(ctx, tx, req);
              outcome = { ok: true, record: recordJson(record) };
            } catch (error) {
              if (!(error instanceof AppSyncError)) throw error;
              outcome = { ok: false, error: { errorType: error.errorType, message: error.message, data: error.data } };
            }
            // Not stored: a concurrent transaction applied this caller's mutation id first. Start over, and
            // the retry answers with that transaction's result instead of applying the mutation twice.
            if (req.mutationId && !(await tx.putMutation({ identityKey: caller, mutationId: req.mutationId, payloadHash: hash, result: outcome }))) {
              throw new RetryableConflict();
            }
            outcomes.push(outcome);
          }
          return outcomes;
        });
        this.publish(written);
        return result;
      } catch (error) {
        if (error instanceof RetryableConflict && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private publish(written: ServerRecord[]): void {
    if (written.length > 0) this.bus.publish(written);
  }
}
