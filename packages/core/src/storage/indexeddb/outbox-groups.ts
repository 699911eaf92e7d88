import type { OutboxEntry } from '../../outbox/outbox-entry';

/**
 * Outbox entries written together, stored as one IndexedDB value. Each request costs a browser about the
 * same whatever its size (Chromium serializes, extracts index keys and crosses a process per request), so a
 * bulk save that queued one request per outbox entry paid for its outbox as much as for its records. Entries
 * keep their own `seq`; a group is keyed by its highest one, and seqs of different groups and of single
 * entries never interleave within a group's range, except for entries taken out of it (below).
 *
 * A changed entry is written as a single value under its seq, which from then on shadows the group's copy
 * (readers drop a grouped entry whose seq has a single value): the first change of a bulk-created record
 * costs one small write, not a rewrite of its group. Deleting an entry deletes its single value and rewrites
 * the group without it, so a group only shrinks and disappears with its last entry. What readers see is
 * always exactly the entries a one-value-per-entry outbox would hold.
 */
export interface OutboxGroup {
  /** The highest seq the group was given (its key); kept when that entry leaves the group. */
  last: number;
  entries: OutboxEntry[];
  /**
   * The record key of every entry, for the multi-entry index `outboxFor` reads (plain strings, not
   * `[model, key]` arrays: cheaper to index; a group found through another model's key is filtered out).
   */
  keys: string[];
}

/** Fewer new entries than this go one value each: a group costs a few requests of its own. */
export const GROUP_MIN_ENTRIES = 16;

/**
 * Entries per group. Larger groups mean fewer requests for a bulk save, but taking one entry out of a group
 * (the first change of a bulk-created record before it is sent) rewrites the rest of it, and a value of
 * ~0.5 KB records stays far below the size at which Chromium moves a value out to a blob file.
 */
export const GROUP_SIZE = 32;

/** A group of `entries`, whose seqs are already assigned. */
export function makeGroup(entries: OutboxEntry[]): OutboxGroup {
  return { last: entries[entries.length - 1]!.seq, entries, keys: entries.map((e) => e.key) };
}

/** The group without the entry `seq`. */
export function withoutEntry(group: OutboxGroup, seq: number): OutboxGroup {
  const entries = group.entries.filter((e) => e.seq !== seq);
  return { last: group.last, entries, keys: entries.map((e) => e.key) };
}

/** Single entries and grouped ones in one list ordered by seq; a single value shadows a grouped entry of its seq. */
export function mergeBySeq(singles: OutboxEntry[], groups: readonly OutboxGroup[]): OutboxEntry[] {
  if (groups.length === 0) return singles;
  const shadowed = new Set(singles.map((e) => e.seq));
  const all = singles.slice();
  for (const g of groups) for (const e of g.entries) if (!shadowed.has(e.seq)) all.push(e);
  return all.sort((a, b) => a.seq - b.seq);
}
