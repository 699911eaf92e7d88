import { modelKeyOf, type NormalizedSchema } from '@offgrid/schema';
import type { RecordTransaction } from '../store/record-store';
import type { MutationRequest } from './apply-mutation';

/**
 * Reads the records a batch of mutations will touch in one round trip per model (`tx.prefetch`), instead
 * of one per mutation. Requests whose key cannot be known yet (a create that lets the server pick the id,
 * bad input) are left out: they are read one at a time as before, and refused as before.
 *
 * @example
 * await prefetchRecords(schema, tx, requests); // then apply each request as usual
 */
export async function prefetchRecords(schema: NormalizedSchema, tx: RecordTransaction, requests: readonly MutationRequest[]): Promise<void> {
  if (requests.length < 2) return;
  const keys = new Map<string, string[]>();
  for (const req of requests) {
    const def = Object.hasOwn(schema.models, req.model) ? schema.models[req.model] : undefined;
    if (!def || typeof req.input !== 'object' || req.input === null) continue;
    let key: string;
    try {
      key = modelKeyOf(def, req.input);
    } catch {
      continue;
    }
    const list = keys.get(def.name) ?? [];
    list.push(key);
    keys.set(def.name, list);
  }
  for (const [model, list] of keys) await tx.prefetch(model, list);
}
