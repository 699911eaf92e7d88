export { createOffgridServer, type OffgridServer } from './offgrid-server';
export { DEFAULT_LIMITS, type ServerLimits, type ServerOptions } from './server-options';
export type { AuthOptions } from './auth/authenticator';
export type { Identity } from './auth/identity';
export type { ConflictConfig, ConflictContext, ConflictDecision } from './conflict/conflict-config';
export { AppSyncError, type AppSyncErrorType } from './errors/appsync-error';
export { LocalChangeBus, type ChangeBus } from './pubsub/change-bus';
export type { RecordStore, ServerRecord } from './store/record-store';
