import type { NormalizedSchema } from '@offgrid/schema';

/** A record as the server keeps it: the model's fields plus the sync metadata. */
export interface ServerRecord {
  model: string;
  /** `modelKeyOf(model, data)`. */
  key: string;
  /** The model's stored (non-relation) fields, without metadata. */
  data: Record<string, unknown>;
  /** +1 per accepted write; 1 after the create. */
  version: number;
  deleted: boolean;
  /** Epoch ms of the last accepted write. */
  lastChangedAt: number;
  /** Position in the server's change sequence; assigned at commit, increasing in commit order. */
  seq: number;
  /** The `version` at which each field last changed, for the field-level three-way merge. */
  fieldVersions: Record<string, number>;
}

/** A record to write; `seq` is assigned by the store when the transaction commits. */
export type RecordWrite = Omit<ServerRecord, 'seq'>;

/**
 * What an applied mutation answered, kept so a retried mutation id gets the same answer. Results are
 * kept per caller: `(identityKey, mutationId)` is the key, so one caller's id never finds another's result.
 */
export interface StoredMutationResult {
  /** Who sent it: `identityKey(identity)` of the caller (a hash, never a raw API key or token). */
  identityKey: string;
  mutationId: string;
  /** Hash of the canonical request (model, operation, input, condition): a reused id with another payload is refused. */
  payloadHash: string;
  /** JSON of the result handed to the client the first time. */
  result: unknown;
}

/** One page of changes for a sync. */
export interface ChangePage {
  records: ServerRecord[];
  /** The seq of the last record in `records` (or `afterSeq` when empty): the next page starts after it. */
  lastSeq: number;
  /** True when more records with seq in (lastSeq, untilSeq] exist. */
  more: boolean;
}

/** Reads and writes inside one database transaction. */
export interface RecordTransaction {
  /**
   * Reads (and, where the database supports it, locks) these records in one round trip, so that later
   * `get`s, `insert`s and `update`s of them in this transaction need none. Only a hint: every method
   * answers the same without it.
   */
  prefetch(model: string, keys: readonly string[]): Promise<void>;
  /** The current row (tombstones included), locked for update where the database supports it. */
  get(model: string, key: string): Promise<ServerRecord | undefined>;
  /** Inserts a new row; false (and nothing written) when the key already exists. */
  insert(record: RecordWrite): Promise<boolean>;
  /**
   * Conditional write: replaces the row only if its version is still `expectedVersion`; false (and
   * nothing written) otherwise. This, not isolation levels, is how concurrent writers are detected.
   */
  update(record: RecordWrite, expectedVersion: number): Promise<boolean>;
  /**
   * Reads the stored results of these mutation ids of one caller in one round trip, so that later
   * `getMutation`s and `putMutation`s of them in this transaction need none. Only a hint, like `prefetch`.
   */
  prefetchMutations(identityKey: string, mutationIds: readonly string[]): Promise<void>;
  /** The stored result of `mutationId` sent by the caller `identityKey`, if it was applied before. */
  getMutation(identityKey: string, mutationId: string): Promise<StoredMutationResult | undefined>;
  /**
   * Stores a result; false (and nothing written) when this caller's `mutationId` already has one, which
   * means a concurrent transaction applied the same mutation first.
   */
  putMutation(result: StoredMutationResult): Promise<boolean>;
}

/**
 * The server's storage contract. SQLite (embedded default) and PostgreSQL implement it and pass the same
 * server suite. Change sequence numbers are assigned so that commit order equals sequence order: a sync
 * that has seen seq N never later finds a newly committed record with seq <= N.
 */
export interface RecordStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or additively migrates tables and indexes for the schema. */
  migrate(schema: NormalizedSchema): Promise<void>;
  /**
   * Runs `fn` in a transaction and commits; returns its result and the committed records with their
   * assigned `seq`. Throws (and writes nothing) if `fn` throws.
   */
  transaction<T>(fn: (tx: RecordTransaction) => Promise<T>): Promise<{ result: T; written: ServerRecord[] }>;
  /** One record, tombstones included. */
  get(model: string, key: string): Promise<ServerRecord | undefined>;
  /** The records of these keys that exist (tombstones included), in one read; missing keys are left out. */
  getMany(model: string, keys: readonly string[]): Promise<ServerRecord[]>;
  /** Records of a model with `afterSeq < seq <= untilSeq`, in seq order, at most `limit` rows and about `maxBytes` of data. */
  changes(model: string, afterSeq: number, untilSeq: number, limit: number, maxBytes: number): Promise<ChangePage>;
  /**
   * How many records of a model have `afterSeq < seq <= untilSeq` (tombstones included): what a sync over
   * that range hands out in all its pages, before per-record auth and filters. One indexed count.
   */
  countChanges(model: string, afterSeq: number, untilSeq: number): Promise<number>;
  /** The highest committed seq: every record with a seq at or below it is visible. */
  committedSeq(): Promise<number>;
  /** Remembers that a sync started at `startedAt` (epoch ms, unique) covered changes up to `seq`. */
  putSyncMark(startedAt: number, seq: number): Promise<void>;
  /** The seq a `startedAt` handed out earlier covers, or undefined when unknown or purged. */
  getSyncMark(startedAt: number): Promise<number | undefined>;
  /** The latest sync mark time, so new marks stay unique and increasing across processes. */
  latestSyncMark(): Promise<number>;
  /** Deletes tombstones and sync marks older than `before` (epoch ms) and mutation results older than it. */
  purge(before: number): Promise<{ tombstones: number; marks: number; mutations: number }>;
  close(): Promise<void>;
}
