import type { NormalizedSchema } from '@offgrid/schema';
import type { Identity } from '../auth/identity';
import type { InputSizeLimits } from '../limits/input-size';
import type { ConflictConfig } from '../conflict/conflict-config';
import type { MutationService } from '../mutations/mutation-service';
import type { SubscriptionHub } from '../pubsub/subscription-hub';
import type { RecordStore } from '../store/record-store';
import type { SyncService } from '../sync/sync-service';

/** What every resolver gets: the caller and the server's services. */
export interface ServerContext {
  identity: Identity;
  schema: NormalizedSchema;
  store: RecordStore;
  sync: SyncService;
  mutations: MutationService;
  hub: SubscriptionHub;
  conflictFor(model: string): ConflictConfig;
  now(): number;
  allowOwnerTransfer: boolean;
  /** Size limits of single mutation input values. */
  inputLimits: InputSizeLimits;
}
