import type { MutationContext, MutationRequest } from '../mutations/apply-mutation';
import { MutationService, type MutationOutcome } from '../mutations/mutation-service';
import type { ServerMetrics } from './metrics';

/**
 * The mutation service, counting each outcome in `offgrid_mutations_total{model, outcome}` (`ok`, or the
 * refusal's `errorType`), so conflicts and auth refusals show on a dashboard.
 */
export class MeteredMutationService extends MutationService {
  constructor(
    store: ConstructorParameters<typeof MutationService>[0],
    bus: ConstructorParameters<typeof MutationService>[1],
    private readonly metrics: ServerMetrics,
  ) {
    super(store, bus);
  }

  override async apply(ctx: MutationContext, requests: MutationRequest[]): Promise<MutationOutcome[]> {
    const outcomes = await super.apply(ctx, requests);
    outcomes.forEach((outcome, i) => {
      this.metrics.mutations.inc({ model: requests[i]?.model ?? 'unknown', outcome: outcome.ok ? 'ok' : outcome.error.errorType });
    });
    return outcomes;
  }
}
