import type { ChangeBus } from '../pubsub/change-bus';
import { AppSyncError } from '../errors/appsync-error';
import type { RecordStore, ServerRecord } from '../store/record-store';
import { applyMutation, RetryableConflict, type MutationContext, type MutationRequest } from './apply-mutation';
import { recordJson } from './record-json';

/** The answer to one mutation: the record after it, or why it was refused. */
export type MutationOutcome =
  | { ok: true; record: Record<string, unknown> }
  | { ok: false; error: { errorType: string; message: string; data: unknown } };

const MAX_ATTEMPTS = 5;

/**
 * Applies mutations in one transaction, each at most once per mutation id, then publishes the committed
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
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, written } = await this.store.transaction(async (tx) => {
          const outcomes: MutationOutcome[] = [];
          for (const req of requests) {
            if (req.mutationId) {
              const previous = await tx.getMutation(req.mutationId);
              if (previous) {
                outcomes.push(previous.result as MutationOutcome);
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
            if (req.mutationId) await tx.putMutation({ mutationId: req.mutationId, result: outcome });
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
