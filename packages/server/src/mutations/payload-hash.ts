import { createHash } from 'node:crypto';
import type { MutationRequest } from './apply-mutation';

/** JSON with object keys sorted at every depth, so equal payloads serialise equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

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
