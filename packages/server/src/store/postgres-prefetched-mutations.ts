import type { QueryResult, QueryResultRow } from 'pg';
import { PrefetchRaceError } from './postgres-prefetched-records';
import type { StoredMutationResult } from './record-store';

/** Runs one query on the transaction's connection. */
type Query = <R extends QueryResultRow>(sql: string, params: unknown[]) => Promise<QueryResult<R>>;

const idOf = (identityKey: string, mutationId: string) => `${identityKey}\u0000${mutationId}`;

/**
 * Stored mutation results a PostgreSQL transaction read ahead in one round trip, and the new results it
 * stores, held until the transaction commits and then inserted in one statement.
 *
 * Why this is exact: a result found ahead cannot go away before commit (only `purge` deletes, and only
 * old ones). A result missing ahead may be stored by a concurrent transaction meanwhile: the insert at
 * flush finds it and {@link PrefetchRaceError} runs the whole transaction again, which then answers with
 * the stored result, as an immediate insert that found it would have.
 *
 * @example
 * const ahead = new PrefetchedMutations();
 * ahead.load('caller', ['m1'], await selectResults(['m1']));
 * ahead.get('caller', 'm1'); // undefined: not applied before
 * ahead.put({ identityKey: 'caller', mutationId: 'm1', payloadHash, result }); // true, held
 * await ahead.flush(query, table);
 */
export class PrefetchedMutations {
  /** Results read ahead (or held); null = none stored when read ahead. */
  private readonly results = new Map<string, StoredMutationResult | null>();
  private readonly pending: StoredMutationResult[] = [];

  /** The ids of `mutationIds` not read ahead yet for this caller. */
  unknown(identityKey: string, mutationIds: readonly string[]): string[] {
    return [...new Set(mutationIds)].filter((id) => !this.results.has(idOf(identityKey, id)));
  }

  load(identityKey: string, mutationIds: readonly string[], found: readonly StoredMutationResult[]): void {
    for (const id of mutationIds) this.results.set(idOf(identityKey, id), null);
    for (const result of found) this.results.set(idOf(identityKey, result.mutationId), result);
  }

  has(identityKey: string, mutationId: string): boolean {
    return this.results.has(idOf(identityKey, mutationId));
  }

  get(identityKey: string, mutationId: string): StoredMutationResult | undefined {
    return this.results.get(idOf(identityKey, mutationId)) ?? undefined;
  }

  /** Stores a result of an id read ahead: undefined when it was not read ahead (the caller stores it directly). */
  put(result: StoredMutationResult): boolean | undefined {
    const id = idOf(result.identityKey, result.mutationId);
    if (!this.results.has(id)) return undefined;
    if (this.results.get(id)) return false;
    this.results.set(id, result);
    this.pending.push(result);
    return true;
  }

  /** Inserts the held results. */
  async flush(query: Query, table: string): Promise<void> {
    const pending = this.pending.splice(0);
    if (pending.length === 0) return;
    const now = Date.now();
    const { rows } = await query<{ identity_key: string; mutation_id: string }>(
      `INSERT INTO ${table} (identity_key, mutation_id, payload_hash, result, created_at)
       SELECT v.identity_key, v.mutation_id, v.payload_hash, v.result, $5
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(identity_key, mutation_id, payload_hash, result)
       ON CONFLICT (identity_key, mutation_id) DO NOTHING RETURNING identity_key, mutation_id`,
      [
        pending.map((r) => r.identityKey),
        pending.map((r) => r.mutationId),
        pending.map((r) => r.payloadHash),
        pending.map((r) => JSON.stringify(r.result ?? null)),
        now,
      ],
    );
    if (rows.length !== pending.length) {
      const stored = new Set(rows.map((row) => idOf(row.identity_key, row.mutation_id)));
      throw new PrefetchRaceError(
        'mutation result',
        pending.filter((r) => !stored.has(idOf(r.identityKey, r.mutationId))).map((r) => r.mutationId),
      );
    }
  }
}
