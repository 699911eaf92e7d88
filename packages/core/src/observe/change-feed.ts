import { Subject, type Observable } from 'rxjs';

/** One record's change, as committed. `record` is the frozen record after it, `previous` before it. */
export interface RecordChange {
  model: string;
  key: string;
  type: 'insert' | 'update' | 'delete';
  record?: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

/**
 * The changes of one committed transaction. `local` comes from this store's API, `remote` from sync;
 * `reset` means the store was cleared or replaced and every view must reload.
 */
export interface ChangeBatch {
  source: 'local' | 'remote' | 'reset';
  changes: RecordChange[];
  /** Committed by another tab of the same app and relayed here; not relayed again. */
  fromTab?: boolean;
}

/**
 * The store's change stream, emitted after each commit and never before, so a listener that reads the
 * store sees what the change describes. Live queries apply these incrementally.
 */
export class ChangeFeed {
  private readonly subject = new Subject<ChangeBatch>();
  readonly batches$: Observable<ChangeBatch> = this.subject.asObservable();

  emit(batch: ChangeBatch): void {
    if (batch.changes.length > 0 || batch.source === 'reset') this.subject.next(batch);
  }

  complete(): void {
    this.subject.complete();
  }
}

/** Turns the stored fields of changes into the frozen records listeners see (`materialize` per record). */
export function materializeChanges(
  changes: readonly RecordChange[],
  materialize: (model: string, stored: Record<string, unknown>) => Record<string, unknown>,
): RecordChange[] {
  return changes.map((c) => {
    const record = c.record && materialize(c.model, c.record);
    const previous = c.previous && materialize(c.model, c.previous);
    // Records the write path already made final come back as they are; then the change is reused too.
    if (record === c.record && previous === c.previous) return c;
    return { ...c, ...(record ? { record } : {}), ...(previous ? { previous } : {}) };
  });
}

/**
 * As {@link materializeChanges}, but each record is made when a listener first reads it, then kept. A sync
 * page of thousands of records that no live query or `observe` looks at costs no record objects; a
 * listener still gets the same frozen record on every read. The accessors are own and enumerable, so a
 * spread copies the records.
 */
export function lazilyMaterializedChanges(
  changes: readonly RecordChange[],
  materialize: (model: string, stored: Record<string, unknown>) => Record<string, unknown>,
): RecordChange[] {
  return changes.map((c) => {
    let record: Record<string, unknown> | undefined;
    let previous: Record<string, unknown> | undefined;
    return {
      model: c.model,
      key: c.key,
      type: c.type,
      get record() {
        return c.record && (record ??= materialize(c.model, c.record));
      },
      get previous() {
        return c.previous && (previous ??= materialize(c.model, c.previous));
      },
    };
  });
}
