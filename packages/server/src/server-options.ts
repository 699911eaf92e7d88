import type { NormalizedSchema } from '@offgrid/schema';
import type { Logger } from 'pino';
import type { AuthOptions } from './auth/authenticator';
import { ServerOptionError } from './errors/server-option-error';
import type { ConflictConfig } from './conflict/conflict-config';
import type { ChangeBus } from './pubsub/change-bus';
import type { RecordStore } from './store/record-store';

/** Request and connection limits. Every limit answers with a clear error and writes nothing. */
export interface ServerLimits {
  /** Largest HTTP request body in bytes (default 1 MiB). */
  maxBodyBytes: number;
  /** Largest WebSocket message in bytes (default 256 KiB). */
  maxMessageBytes: number;
  /** Deepest selection allowed (default 12). */
  maxQueryDepth: number;
  /** Most fields one document may select, counting list fields ten times (default 5,000). */
  maxQueryCost: number;
  /** Sync/list page size when the client gives none (default 100) and the largest allowed (default 1,000). */
  defaultPageSize: number;
  maxPageSize: number;
  /** A sync page stops growing past this many bytes of records (default 1 MB, under AppSync's limit). */
  maxPageBytes: number;
  /** Live subscriptions one WebSocket connection may hold (default 100). */
  maxSubscriptionsPerConnection: number;
  /** Requests (HTTP per client address, or messages per WebSocket) per second (default 200). */
  maxRequestsPerSecond: number;
  /** Mutations in one `pushMutations` call (default 500). */
  maxBatchSize: number;
  /** Open WebSocket connections (graphql-ws and AppSync real-time together) from one client address (default 50). */
  maxConnectionsPerAddress: number;
  /** Time a client has to send a request's headers, in ms (default 10,000); a slower one gets 408 and is closed. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included, in ms (default 30,000). */
  requestTimeoutMs: number;
  /** Longest value of an `ID` field in mutation input, in characters (default 1,024). */
  maxIdLength: number;
  /** Most items in one list field of mutation input (default 10,000). */
  maxListLength: number;
  /** Deepest object/array nesting inside one `AWSJSON` value of mutation input (default 32). */
  maxJsonDepth: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 1024 * 1024,
  maxMessageBytes: 256 * 1024,
  maxQueryDepth: 12,
  maxQueryCost: 5000,
  defaultPageSize: 100,
  maxPageSize: 1000,
  maxPageBytes: 1_000_000,
  maxSubscriptionsPerConnection: 100,
  maxRequestsPerSecond: 200,
  maxBatchSize: 500,
  maxConnectionsPerAddress: 50,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxIdLength: 1024,
  maxListLength: 10_000,
  maxJsonDepth: 32,
};

/**
 * Checks every limit is a positive whole number (timeouts: positive), so a typo in a config file is an
 * error at start, not a server that refuses everything or nothing.
 */
export function validateLimits(limits: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!(name in DEFAULT_LIMITS)) {
      throw new ServerOptionError(`limits.${name}`, value, `one of the known limits (${Object.keys(DEFAULT_LIMITS).join(', ')})`);
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ServerOptionError(`limits.${name}`, value, 'a whole number, 1 or more');
  }
}

/**
 * Options of {@link createOffgridServer}.
 *
 * @example
 * const server = await createOffgridServer({ schema, store: new SqliteRecordStore({ filename: 'offgrid.db' }), auth: { apiKeys: ['dev-key'] } })
 * await server.listen(4000)
 */
export interface ServerOptions {
  schema: NormalizedSchema;
  store: RecordStore;
  /** Where committed records go to reach subscribers; a local bus by default (`PostgresChangeBus` for several processes). */
  bus?: ChangeBus;
  auth?: AuthOptions;
  /** Conflict strategy per model; models not named use `defaultConflict` (AUTOMERGE). */
  conflicts?: Record<string, ConflictConfig>;
  defaultConflict?: ConflictConfig;
  limits?: Partial<ServerLimits>;
  /** Production mode: introspection off and internal error details hidden. */
  production?: boolean;
  /** How long tombstones (and sync cursors) are kept, in ms (default 30 days). */
  tombstoneRetentionMs?: number;
  /**
   * How long `close()` waits, in ms, for in-flight requests to finish and WebSocket clients to take their
   * close frame, before it cuts the remaining connections (default 10,000).
   */
  shutdownTimeoutMs?: number;
  /**
   * Where `GET /metrics` is served and who may read it.
   * - `token`: a scrape must send `Authorization: Bearer <token>` (401 otherwise).
   * - `port` (and `host`, default `127.0.0.1`): serve /metrics only on this separate listener, started by
   *   `listen()`, so the public port never exposes it; the public port then answers 404 for /metrics.
   * Without either, keep /metrics off the public network (see the deployment guide).
   *
   * @example
   * createOffgridServer({ schema, store, metrics: { port: 9464 } }) // scrape http://127.0.0.1:9464/metrics
   */
  metrics?: { token?: string; port?: number; host?: string };
  /** Let owners reassign a record's owner field (off by default). */
  allowOwnerTransfer?: boolean;
  logger?: Logger;
  /** Clock, replaceable in tests. */
  now?: () => number;
}
