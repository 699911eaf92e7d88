/** A model that has no table: it is not in any schema passed to `migrate`. */
export class UnknownModelError extends Error {
  override readonly name = 'UnknownModelError';
  constructor(readonly model: string) {
    super(`Unknown model "${model}": it has no table. Call migrate() with a schema that declares it first.`);
  }
}

/** `putSyncMark` was asked to store a different seq under a `startedAt` that is already taken. */
export class SyncMarkConflictError extends Error {
  override readonly name = 'SyncMarkConflictError';
  constructor(
    readonly startedAt: number,
    readonly existingSeq: number,
    readonly requestedSeq: number,
  ) {
    super(
      `Sync mark ${startedAt} already covers seq ${existingSeq}; refusing to store seq ${requestedSeq} under the same time. ` +
        'Pick a startedAt greater than latestSyncMark().',
    );
  }
}

/** A `RecordTransaction` used after its transaction finished (e.g. a promise that outlived the callback). */
export class TransactionClosedError extends Error {
  override readonly name = 'TransactionClosedError';
  constructor() {
    super('This RecordTransaction has already committed or rolled back; do all work inside the transaction callback.');
  }
}
