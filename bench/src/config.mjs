/**
 * Sizes of the local workloads. `BENCH_QUICK=1` shrinks everything for a smoke run.
 * Per-system overrides (fewer runs or writes for slow peers) live with each system.
 */
export const QUICK = process.env.BENCH_QUICK === '1';

export const config = QUICK
  ? { records: 1_000, w1Runs: 1, w1BudgetMs: 0, w2Saves: 100, w3Queries: 100, w4LiveQueries: 100, w4Writes: 40 }
  : { records: 10_000, w1Runs: 5, w1BudgetMs: 20_000, w2Saves: 1_000, w3Queries: 1_000, w4LiveQueries: 100, w4Writes: 200 };
// W1 stops early (after at least one run) once its runs have taken w1BudgetMs, so a slow system does
// not eat the time budget of the whole bench; the table says how many runs each system got.

/** Distinct `owner` values (W3 queries cycle through them). */
export const OWNERS = 50;
/** Live queries watch `priority = k` for k in 0..WATCHED_PRIORITIES-1; records start with priority 0..2*WATCHED-1. */
export const WATCHED_PRIORITIES = 20;
/** W3's `limit`. */
export const QUERY_LIMIT = 100;

/**
 * The Offgrid schema. The store sets `updatedAt` itself on every save, so the benchmark's own timestamp is
 * `changedAt`, and the (owner, changedAt) index is declared on it.
 */
export const SDL = /* GraphQL */ `
  type Item @model {
    id: ID!
    title: String!
    done: Boolean!
    priority: Int
    owner: String @index(name: "byOwner", sortKeyFields: ["changedAt"])
    changedAt: AWSDateTime
    body: String
  }
`;
