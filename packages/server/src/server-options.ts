import type { NormalizedSchema } from '@offgrid/schema';
import type { Logger } from 'pino';
import type { AuthOptions } from './auth/authenticator';
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
};

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
  /** Let owners reassign a record's owner field (off by default). */
  allowOwnerTransfer?: boolean;
  logger?: Logger;
  /** Clock, replaceable in tests. */
  now?: () => number;
}
