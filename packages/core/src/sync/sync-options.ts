import type { PredicateInput } from '../predicates/predicate-types';
import type { ConflictHandler } from '../conflict/conflict-handler';
import type { OnlineManager } from './online-manager';

/** Returns the signed-in user's JWT (fetched before each request and connection), or nothing when signed out. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

/**
 * How the client proves who it is to the sync server: an API key, a token provider, or both at once.
 *
 * With both (Amplify's `MULTI_AUTH`), each model and operation (sync query, subscription, mutation) uses
 * the credential its `@auth` rules call for, best first: owner, groups, then private rules use the token;
 * public rules use the API key. A signed-out user (the token provider returns nothing) gets only the
 * public models; the others are reported as refused (`modelSyncRefused`) and synced once a user signs in.
 *
 * @example
 * auth: { apiKey: 'da2-key' }                                   // public models only
 * auth: { token: async () => session.idToken }                  // a signed-in user
 * auth: { apiKey: 'da2-key', token: async () => session?.idToken } // both: chosen per model from @auth
 */
export type SyncAuth =
  | { apiKey: string | (() => string | Promise<string>); token?: TokenProvider }
  | { apiKey?: string | (() => string | Promise<string>); token: TokenProvider };

/**
 * Sync configuration (`createDataStore({ sync })`).
 *
 * @example
 * sync: { url: 'http://localhost:4000/graphql', auth: { apiKey: 'dev-key' } }
 */
export interface SyncOptions {
  /** The server's GraphQL endpoint; the WebSocket URL is derived from it (`ws(s)://.../graphql`). */
  url: string;
  /** An API key, a token provider, or both (then chosen per model and operation from its `@auth` rules). */
  auth: SyncAuth;
  /**
   * What happens to local data when the token's subject changes (another user signs in) or the user signs
   * out (the token provider returns nothing). Default `'clear'`: before anything is read, written, synced
   * or sent under the new identity, local records and the previous user's unsent changes are deleted (and
   * reported in a `cleared` event with `reason: 'userChanged'`), so the next user of the device never sees
   * the previous user's data and nothing queued by one user is pushed as another. It is the default because
   * the alternative leaks data silently. `'keep'` leaves the data alone: choose it only when the app gives
   * each user a store of their own (storage named by the subject, one `createDataStore` per user).
   * Data written while signed out is kept when a user signs in. Only applies when `auth.token` is set.
   *
   * @example
   * sync: { url, auth: { token: async () => session?.idToken }, userChange: 'clear' }
   */
  userChange?: 'clear' | 'keep';
  /** Records per sync page (default 1,000). */
  pageSize?: number;
  /** Changes per push request (default 100). */
  pushBatchSize?: number;
  /**
   * Selective sync: per model, a predicate (or a function returning one, re-read on every sync) sent to the
   * server as a filter. Only the model's own fields can be used.
   */
  syncExpressions?: Record<string, PredicateInput<any> | (() => PredicateInput<any> | undefined)>;
  /** Stop a model's sync after this many records; reported as a `syncLimitReached` event, never silent. */
  maxRecordsToSync?: number;
  /** Run a full sync instead of a delta after this long (ms; default 24 h). */
  fullSyncInterval?: number;
  /** Decides what to do when the server reports a conflict (default: retry the changed fields on the server's version). */
  conflictHandler?: ConflictHandler;
  /** Maximum conflict retries of one change before it is dead-lettered (default 5). */
  maxConflictAttempts?: number;
  /** A WebSocket implementation where there is no global one (Node 20: `import WebSocket from 'ws'`). */
  webSocketImpl?: unknown;
  /** `fetch`, replaceable (tests, custom agents). */
  fetch?: typeof fetch;
  /** Online state; replace in tests to simulate going offline. */
  onlineManager?: OnlineManager;
  /** How often the subscription socket is pinged, and how long its pong may take before it is reconnected (ms; default 15,000). */
  keepAliveMs?: number;
  /** Backoff bounds for reconnects and retries (ms). */
  retry?: { baseMs?: number; capMs?: number };
}
