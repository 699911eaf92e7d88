import type { ModelConstructor } from '../schema/init-schema';
import type { DISCARD } from '../conflict/conflict-handler';
import type { PredicateInput } from '../predicates/predicate-types';
import type { StorageAdapter } from '../storage/storage-adapter';
import type { SyncAuth } from '../sync/sync-options';

/** Amplify's `OpType`: what a change did (the `operation` a conflict handler gets, `opType` in `observe`). */
export const OpType = { INSERT: 'INSERT', UPDATE: 'UPDATE', DELETE: 'DELETE' } as const;
export type OpType = (typeof OpType)[keyof typeof OpType];

/** Amplify's `ProcessName`: which part of sync met an error (`SyncError.process`). */
export const ProcessName = { sync: 'sync', mutate: 'mutate', subscribe: 'subscribe' } as const;
export type ProcessName = (typeof ProcessName)[keyof typeof ProcessName];

/** Amplify's `AuthModeStrategyType`. */
export const AuthModeStrategyType = { DEFAULT: 'DEFAULT', MULTI_AUTH: 'MULTI_AUTH' } as const;
export type AuthModeStrategyType = (typeof AuthModeStrategyType)[keyof typeof AuthModeStrategyType];

/** Amplify's `ErrorType`: the broad kind of a sync error. */
export type ErrorType = 'ConfigError' | 'BadModel' | 'BadRecord' | 'Unauthorized' | 'Transient' | 'Unknown';

/** A record as Amplify types it: any model instance. */
export type PersistentModel = Readonly<Record<string, any>>;

/**
 * What Amplify's `conflictHandler` receives.
 *
 * @example
 * conflictHandler: ({ modelConstructor, localModel, remoteModel }) =>
 *   modelConstructor === Post ? Post.copyOf(remoteModel, (d) => { d.title = localModel.title }) : DISCARD
 */
export interface SyncConflict {
  /** The model class, `=== Post` for the app's own `Post` from `initSchema`. */
  modelConstructor: ModelConstructor<any>;
  /** The local record, complete (Amplify passes the partial mutation input here; Offgrid passes all fields). */
  localModel: PersistentModel;
  /** The server's record. */
  remoteModel: PersistentModel;
  /** The local change: `INSERT` (a create), `UPDATE` or `DELETE`, as Amplify names it. */
  operation: OpType;
  /** 1 the first time this change meets a conflict; it really counts. */
  attempts: number;
}

/** Amplify's conflict handler: return `DISCARD` to keep the server's record, or a record (usually `copyOf(remoteModel, ...)`) to send. */
export type AmplifyConflictHandler = (conflict: SyncConflict) => Promise<object | typeof DISCARD> | object | typeof DISCARD;

/**
 * What Amplify's `errorHandler` receives.
 *
 * @example
 * errorHandler: (error) => { if (error.errorType === 'Unauthorized') signIn() }
 */
export interface SyncError<T extends PersistentModel = PersistentModel> {
  message: string;
  errorType: ErrorType;
  errorInfo?: string;
  recoverySuggestion?: string;
  /** The model's name. */
  model?: string;
  /** The local record of a refused mutation (null for sync and subscription errors, as in Amplify). */
  localModel: T;
  /** The server's record when the refusal carried one, else null. */
  remoteModel: T;
  process: ProcessName;
  /** `Create`/`Update`/`Delete` for a refused mutation; the GraphQL field (`syncPosts`) for a sync query. */
  operation: string;
  cause?: Error;
}

/** A sync expression as Amplify writes it: `syncExpression(Post, () => (p) => p.rating.gt(4))`. */
export interface SyncExpression {
  model: string;
  predicate: () => PredicateInput<any> | undefined;
}

/** Where to sync and how to sign in: what `Amplify.configure(awsconfig)` gives Amplify. */
export interface AmplifySyncTarget {
  /** The Offgrid server's GraphQL endpoint, `https://host/graphql`. */
  url: string;
  /** An API key or a token provider (the signed-in user's JWT). */
  auth: SyncAuth;
  /** A WebSocket implementation where there is no global one (Node 20: `ws`). */
  webSocketImpl?: unknown;
}

/**
 * `DataStore.configure` options with Amplify's names, plus where to sync (Offgrid needs no AWS config).
 */
export interface AmplifyConfig {
  /** Accepted for source compatibility; how credentials are chosen is set by `sync.auth`. */
  authModeStrategyType?: AuthModeStrategyType;
  conflictHandler?: AmplifyConflictHandler;
  /** Called where Amplify calls it (refused mutations, refused or failed sync queries), with Amplify's {@link SyncError}. */
  errorHandler?: (error: SyncError) => void;
  syncExpressions?: SyncExpression[];
  syncPageSize?: number;
  maxRecordsToSync?: number;
  /** Minutes, as in Amplify. */
  fullSyncInterval?: number;
  /** Amplify's `storageAdapter`: where records live (default memory; `IndexedDBAdapter` in browsers). */
  storageAdapter?: StorageAdapter;
  /** Offgrid: the sync server and credentials. Without it the store is local-only. */
  sync?: AmplifySyncTarget;
  /** Offgrid: same as `storageAdapter`. */
  storage?: StorageAdapter;
}

/** A change message from `DataStore.observe`, shaped as Amplify's: `model` is the model class. */
export interface SubscriptionMessage<T> {
  model: ModelConstructor<any>;
  opType: OpType;
  element: T;
}

/** A snapshot from `DataStore.observeQuery`. */
export interface DataStoreSnapshot<T> {
  items: T[];
  isSynced: boolean;
}

/** A Hub capsule on the `datastore` channel. */
export interface HubCapsule {
  channel: 'datastore';
  payload: { event: string; data?: any };
  source?: string;
  patternInfo?: string[];
}

export type HubCallback = (capsule: HubCapsule) => void;
