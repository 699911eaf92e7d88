import { StoreStateError } from '../errors';
import type { DataStoreEvent } from '../events/datastore-event';
import type { ModelConstructor } from '../schema/init-schema';
import type { HubCallback, HubCapsule } from './amplify-types';

/** What the translation needs from the Amplify entry: the app's model classes and records made from stored fields. */
export interface HubModels {
  constructorOf(model: string): ModelConstructor<any> | undefined;
  record(model: string, fields: Record<string, unknown>): Record<string, unknown>;
  /** Whether no local change waits to be sent (Amplify reports it when its sync engine starts). */
  outboxIsEmpty(): boolean;
}

/**
 * Turns Offgrid's store events into the `datastore` Hub payloads Amplify dispatches (its sync engine's
 * control messages): `data.model` is the model class, events without data carry none, and the sync-query
 * events come once per online period, as Amplify's sync engine emits them when it (re)connects.
 * Offgrid's own events (`conflict`, `syncError`, `cleared`, ...) pass through unchanged under their names.
 */
export class AmplifyHubTranslator {
  /** True once this online period's sync queries have been reported ready. */
  private syncReported = false;
  private online = false;
  /** `storageSubscribed` (Amplify: the sync engine watches local writes) comes once per start, first. */
  private storageReported = false;

  constructor(private readonly models: HubModels) {}

  /** A new `start()`: the next sync queries are reported again. */
  reset(): void {
    this.syncReported = false;
    this.online = false;
    this.storageReported = false;
  }

  /** The Hub payloads for one store event, in order (none for events Amplify would not dispatch). */
  translate(event: DataStoreEvent): Array<HubCapsule['payload']> {
    const payload = this.payloadOf(event);
    if (!payload) return [];
    // The sync engine's first event is its network status; before it, Amplify's engine says it watches storage
    // and whether its outbox is empty.
    if (event.event === 'networkStatus' && !this.storageReported) {
      this.storageReported = true;
      return [{ event: 'storageSubscribed', data: undefined }, { event: 'outboxStatus', data: { isEmpty: this.models.outboxIsEmpty() } }, payload];
    }
    return [payload];
  }

  private payloadOf(event: DataStoreEvent): HubCapsule['payload'] | undefined {
    switch (event.event) {
      case 'ready':
      case 'subscriptionsEstablished':
        return { event: event.event, data: undefined };
      case 'syncQueriesStarted':
        return this.syncReported ? undefined : { event: event.event, data: { models: event.data.models } };
      case 'modelSynced':
        if (this.syncReported) return undefined;
        return {
          event: event.event,
          data: { model: this.ctor(event.data.model), isFullSync: event.data.isFullSync, isDeltaSync: event.data.isDeltaSync, counts: event.data.counts },
        };
      case 'syncQueriesReady':
        if (this.syncReported) return undefined;
        this.syncReported = true;
        return { event: event.event, data: undefined };
      case 'networkStatus':
        // Amplify reruns its sync queries (and their events) each time the network comes back.
        if (event.data.active && !this.online) this.syncReported = false;
        if (event.data.active === this.online) return undefined;
        this.online = event.data.active;
        return { event: event.event, data: { active: event.data.active } };
      case 'outboxStatus':
        return { event: event.event, data: { isEmpty: event.data.isEmpty } };
      case 'outboxMutationEnqueued':
      case 'outboxMutationProcessed':
        return { event: event.event, data: { model: this.ctor(event.data.model), element: this.models.record(event.data.model, event.data.element) } };
      default:
        return { event: event.event, data: event.data };
    }
  }

  private ctor(model: string): ModelConstructor<any> | string {
    return this.models.constructorOf(model) ?? model;
  }
}

/** Listeners of the `datastore` channel. */
export class HubListeners {
  private readonly listeners = new Set<HubCallback>();

  add(callback: HubCallback): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  dispatch(payload: HubCapsule['payload']): void {
    for (const listener of [...this.listeners]) {
      try {
        listener({ channel: 'datastore', payload, source: 'DataStore', patternInfo: [] });
      } catch {
        // A throwing listener must not stop the others or the store (Amplify's Hub isolates them too).
      }
    }
  }
}

/** Checks the channel name: only `datastore` exists in Offgrid. */
export function assertDatastoreChannel(channel: string): void {
  if (channel !== 'datastore') {
    throw new StoreStateError(`Only the "datastore" Hub channel exists in Offgrid (got "${String(channel)}"); listen to your auth provider for sign-in events.`);
  }
}
