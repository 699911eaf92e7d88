import type { QueryResult, QueryResultRow } from 'pg';
import type { RecordWrite, ServerRecord } from './record-store';

/** Runs one query on the transaction's connection. */
type Query = <R extends QueryResultRow>(sql: string, params: unknown[]) => Promise<QueryResult<R>>;

interface PendingWrite {
  /** `insert` when the row did not exist at prefetch time (it may have been written since: checked at flush). */
  kind: 'insert' | 'update';
  /** The version of the locked row, for the conditional update at flush. */
  expected: number;
  record: RecordWrite;
  data: string;
  fieldVersions: string;
}

/**
 * A concurrent transaction inserted a key this one was told it could insert: the transaction is run again.
 * Carries the SQLSTATE of a serialization failure so the store's retry treats it as one.
 */
export class PrefetchRaceError extends Error {
  readonly code = '40001';
  constructor(model: string, keys: string[]) {
    super(`Concurrent insert of ${model} ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', ...' : ''}; the transaction is retried.`);
  }
}

const idOf = (model: string, key: string) => `${model}\u0000${key}`;

function copy(record: ServerRecord): ServerRecord {
  return { ...record, data: { ...record.data }, fieldVersions: { ...record.fieldVersions } };
}

/**
 * Records a PostgreSQL transaction read ahead in one round trip (`SELECT ... FOR UPDATE`), and the writes
 * to them, held until the transaction commits and then sent as one statement per model and kind.
 *
 * Why this is exact: a prefetched row is locked, so its version cannot change before commit and a
 * conditional update of it is decided here, without a round trip. A key that was missing is not locked
 * (PostgreSQL cannot lock a missing row): its insert is checked at flush, and if another transaction
 * inserted it meanwhile, {@link PrefetchRaceError} runs the whole transaction again.
 *
 * @example
 * const ahead = new PrefetchedRecords();
 * ahead.load('Todo', ['a'], await selectForUpdate(['a']));
 * ahead.update(write, 1); // true or false, decided in memory
 * const written = await ahead.flush(query, table, nextSeq);
 */
export class PrefetchedRecords {
  /** Prefetched (or since written) state per record; null = missing at prefetch. */
  private readonly rows = new Map<string, ServerRecord | null>();
  private readonly pending = new Map<string, PendingWrite>();

  /** The keys of `keys` not read ahead yet. */
  unknown(model: string, keys: readonly string[]): string[] {
    return [...new Set(keys)].filter((key) => !this.rows.has(idOf(model, key)));
  }

  /** Remembers what a prefetch of `keys` found. */
  load(model: string, keys: readonly string[], found: readonly ServerRecord[]): void {
    for (const key of keys) this.rows.set(idOf(model, key), null);
    for (const record of found) this.rows.set(idOf(model, record.key), record);
  }

  /** Whether `get(model, key)` can be answered from memory. */
  has(model: string, key: string): boolean {
    return this.rows.has(idOf(model, key));
  }

  get(model: string, key: string): ServerRecord | undefined {
    const row = this.rows.get(idOf(model, key));
    return row ? copy(row) : undefined;
  }

  /** An insert of a prefetched key: undefined when the key was not prefetched (the caller writes it directly). */
  insert(record: RecordWrite): boolean | undefined {
    const id = idOf(record.model, record.key);
    if (!this.rows.has(id)) return undefined;
    if (this.rows.get(id)) return false;
    this.hold(id, record, 'insert', 0);
    return true;
  }

  /** A conditional update of a prefetched key: undefined when the key was not prefetched. */
  update(record: RecordWrite, expectedVersion: number): boolean | undefined {
    const id = idOf(record.model, record.key);
    if (!this.rows.has(id)) return undefined;
    const current = this.rows.get(id);
    if (!current || current.version !== expectedVersion) return false;
    const earlier = this.pending.get(id);
    this.hold(id, record, earlier?.kind ?? 'update', earlier?.expected ?? current.version);
    return true;
  }

  /** Sends the held writes; returns them with the seqs they were given. */
  async flush(query: Query, table: (model: string) => string, nextSeq: string): Promise<ServerRecord[]> {
    const groups = new Map<string, PendingWrite[]>();
    for (const write of this.pending.values()) {
      const group = `${write.kind}\u0000${write.record.model}`;
      const list = groups.get(group) ?? [];
      list.push(write);
      groups.set(group, list);
    }
    this.pending.clear();
    const written: ServerRecord[] = [];
    for (const writes of groups.values()) {
      const { kind, record } = writes[0]!;
      const t = table(record.model);
      const columns = [
        writes.map((w) => w.record.key),
        writes.map((w) => w.data),
        writes.map((w) => w.record.version),
        writes.map((w) => w.record.deleted),
        writes.map((w) => w.record.lastChangedAt),
        writes.map((w) => w.fieldVersions),
      ];
      const result =
        kind === 'insert'
          ? await query<{ key: string; seq: string }>(
              `INSERT INTO ${t} (key, data, version, deleted, last_changed_at, seq, field_versions)
               SELECT v.key, v.data::jsonb, v.version, v.deleted, v.lca, ${nextSeq}, v.fv::jsonb
                 FROM unnest($1::text[], $2::text[], $3::int[], $4::bool[], $5::bigint[], $6::text[]) AS v(key, data, version, deleted, lca, fv)
               ON CONFLICT (key) DO NOTHING RETURNING key, seq`,
              columns,
            )
          : await query<{ key: string; seq: string }>(
              `UPDATE ${t} SET data = v.data::jsonb, version = v.version, deleted = v.deleted, last_changed_at = v.lca,
                      field_versions = v.fv::jsonb, seq = ${nextSeq}
                 FROM unnest($1::text[], $2::text[], $3::int[], $4::bool[], $5::bigint[], $6::text[], $7::int[])
                      AS v(key, data, version, deleted, lca, fv, expected)
                WHERE ${t}.key = v.key AND ${t}.version = v.expected RETURNING ${t}.key, ${t}.seq`,
              [...columns, writes.map((w) => w.expected)],
            );
      const seqs = new Map(result.rows.map((row) => [row.key, Number(row.seq)]));
      if (seqs.size !== writes.length) {
        throw new PrefetchRaceError(record.model, writes.map((w) => w.record.key).filter((key) => !seqs.has(key)));
      }
      for (const w of writes) {
        written.push({
          model: w.record.model,
          key: w.record.key,
          data: JSON.parse(w.data) as Record<string, unknown>,
          version: w.record.version,
          deleted: w.record.deleted,
          lastChangedAt: w.record.lastChangedAt,
          seq: seqs.get(w.record.key)!,
          fieldVersions: { ...w.record.fieldVersions },
        });
      }
    }
    return written;
  }

  private hold(id: string, record: RecordWrite, kind: PendingWrite['kind'], expected: number): void {
    const data = JSON.stringify(record.data);
    this.pending.set(id, { kind, expected, record, data, fieldVersions: JSON.stringify(record.fieldVersions) });
    this.rows.set(id, {
      ...record,
      data: JSON.parse(data) as Record<string, unknown>,
      fieldVersions: { ...record.fieldVersions },
      seq: 0,
    });
  }
}
