import { createHash } from 'node:crypto';
import { canonicalJson } from '@offgrid/schema';
import type { MutationRequest } from './apply-mutation';

/**
 * A hash of what a mutation asks for (model, operation, input without `_mutationId`, condition). Stored
 * beside its result: the same mutation id sent again with another payload is a client bug, not a retry.
 *
 * @example
 * payloadHash({ model: 'Todo', operation: 'create', input: { id: 't1', title: 'a' } }) // 'e3b0...'
 */
export function payloadHash(req: Pick<MutationRequest, 'model' | 'operation' | 'input' | 'condition'>): string {
  const input = req.input !== null && typeof req.input === 'object' && !Array.isArray(req.input) ? { ...req.input, _mutationId: undefined } : req.input;
  return createHash('sha256')
    .update(canonicalJson({ model: req.model, operation: req.operation, input, condition: req.condition ?? null }))
    .digest('hex');
}
