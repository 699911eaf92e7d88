/**
 * Sizes and settings of the server (push throughput, fan-out) and sync (W5-W8) workloads.
 * `BENCH_QUICK=1` shrinks them for the smoke run.
 */
import { QUICK } from '../config.mjs';

/** PostgreSQL for the server benchmarks; each run gets its own schema `bench_<random>`, dropped after. */
export const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The bench server's limits: the defaults, except the per-address request rate and WebSocket count
 * (every bench client is 127.0.0.1, so the default 200 requests/s per address would throttle 20 clients
 * into 429s, and W6's 100 subscribed clients are more than the default 50 sockets per address) and the
 * page size cap. Everything else (body size, batch size 500, subscriptions per connection) is the default.
 */
export const BENCH_LIMITS = { maxRequestsPerSecond: 1_000_000, maxConnectionsPerAddress: 100_000 };

export const serverSizes = QUICK
  ? { clients: 4, updatesPerClient: 100, batch: 50, recordsPerClient: 50, unbatchedPerClient: 50, fanout: [10, 50], fanoutMutations: 10 }
  : { clients: 20, updatesPerClient: 500, batch: 50, recordsPerClient: 50, unbatchedPerClient: 100, fanout: [100, 1000], fanoutMutations: 50 };

export const syncSizes = QUICK
  ? { w5: [1_000, 5_000], w5PageSize: 1000, w6Writes: 20, w6Clients: 10, w7Mutations: 500, w7Records: 50, w8Records: 1_000, w8Updates: 100, w8Deletes: 10 }
  : { w5: [10_000, 100_000], w5PageSize: 1000, w6Writes: 200, w6Clients: 100, w7Mutations: 5_000, w7Records: 500, w8Records: 10_000, w8Updates: 100, w8Deletes: 10 };

// `BENCH_W5_SIZES=10000` runs W5 (both jobs) at those sizes only, e.g. to compare one size while profiling.
const w5Sizes = process.env.BENCH_W5_SIZES?.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
if (w5Sizes?.length) syncSizes.w5 = w5Sizes;
