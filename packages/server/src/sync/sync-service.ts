import { evaluatePredicate, type ModelDefinition, type PredicateNode } from '@offgrid/schema';
import { isAllowed } from '../auth/authorize';
import type { Identity } from '../auth/identity';
import { recordJson } from '../mutations/record-json';
import type { RecordStore } from '../store/record-store';
import { decodeSyncToken, encodeSyncToken, type SyncToken } from './sync-token';

/** A page of a sync or list, in AppSync's connection shape (plus `isFullSync` and `total`). */
export interface SyncPage {
  items: Record<string, unknown>[];
  nextToken: string | null;
  startedAt: number | null;
  isFullSync: boolean;
  /**
   * On the first page of a sync, when asked for: how many records the whole sync hands out, all pages
   * together. Null on later pages, and when the server cannot tell it exactly without reading every
   * record (owner or group-field rules that filter per record, a sync filter).
   */
  total?: number | null;
}

export interface SyncLimits {
  defaultPageSize: number;
  maxPageSize: number;
  maxPageBytes: number;
}

/**
 * Serves `syncXs` and `listXs` from the change sequence. `startedAt`/`lastSync` are epoch milliseconds, as
 * Amplify expects, and each one the server hands out is mapped to the exact sequence position it covers,
 * so a delta sync misses nothing and repeats nothing. An unknown or purged `lastSync` gets a full sync,
 * flagged with `isFullSync`.
 */
export class SyncService {
  constructor(
    private readonly store: RecordStore,
    private readonly limits: SyncLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private pageSize(limit: number | null | undefined): number {
    if (limit === null || limit === undefined) return this.limits.defaultPageSize;
    return Math.max(1, Math.min(limit, this.limits.maxPageSize));
  }

  /** Hands out a new `startedAt` covering everything committed so far. */
  private async mark(): Promise<{ startedAt: number; until: number }> {
    const until = await this.store.committedSeq();
    let startedAt = Math.max(this.now(), (await this.store.latestSyncMark()) + 1);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.putSyncMark(startedAt, until);
        return { startedAt, until };
      } catch (error) {
        // Another process took this millisecond; marks must stay unique.
        if (attempt >= 20) throw error;
        startedAt++;
      }
    }
  }

  async sync(
    model: ModelDefinition,
    identity: Identity,
    args: { filter?: PredicateNode; limit?: number | null; nextToken?: string | null; lastSync?: number | null; withTotal?: boolean },
  ): Promise<SyncPage> {
    let token: SyncToken;
    if (args.nextToken) {
      token = decodeSyncToken(model.name, args.nextToken);
    } else {
      const { startedAt, until } = await this.mark();
      const known = args.lastSync ? await this.store.getSyncMark(args.lastSync) : undefined;
      token = { model: model.name, from: known ?? 0, until, startedAt, full: known === undefined };
    }
    const page = await this.store.changes(model.name, token.from, token.until, this.pageSize(args.limit), this.limits.maxPageBytes);
    const items = page.records
      .filter((r) => isAllowed(model, identity, 'read', r.data))
      .map(recordJson)
      .filter((r) => !args.filter || evaluatePredicate(args.filter, r));
    return {
      items,
      nextToken: page.more ? encodeSyncToken({ ...token, from: page.lastSeq }) : null,
      startedAt: token.startedAt,
      isFullSync: token.full,
      ...(args.withTotal ? { total: args.nextToken ? null : await this.total(model, identity, token, args.filter) } : {}),
    };
  }

  /**
   * The exact number of records a sync over `token`'s range hands out, when one indexed count can tell it:
   * the caller may read every record of the model (so no record is left out by auth) and no filter drops
   * any. Otherwise null: counting would mean reading every record, which is what the pages do anyway.
   */
  private async total(model: ModelDefinition, identity: Identity, token: SyncToken, filter: PredicateNode | undefined): Promise<number | null> {
    if (filter || !isAllowed(model, identity, 'read')) return null;
    return this.store.countChanges(model.name, token.from, token.until);
  }

  /** `listXs`: live records only, paged the same way. */
  async list(model: ModelDefinition, identity: Identity, args: { filter?: PredicateNode; limit?: number | null; nextToken?: string | null }): Promise<SyncPage> {
    const token = args.nextToken
      ? decodeSyncToken(model.name, args.nextToken)
      : { model: model.name, from: 0, until: await this.store.committedSeq(), startedAt: 0, full: true };
    const page = await this.store.changes(model.name, token.from, token.until, this.pageSize(args.limit), this.limits.maxPageBytes);
    const items = page.records
      .filter((r) => !r.deleted && isAllowed(model, identity, 'read', r.data))
      .map(recordJson)
      .filter((r) => !args.filter || evaluatePredicate(args.filter, r));
    return { items, nextToken: page.more ? encodeSyncToken({ ...token, from: page.lastSeq }) : null, startedAt: null, isFullSync: false };
  }
}
