import type { ServerRecord } from '../store/record-store';

/** A stored record as the API returns it: its fields plus `_version`, `_deleted`, `_lastChangedAt`. */
export function recordJson(record: ServerRecord): Record<string, unknown> {
  return { ...record.data, _version: record.version, _deleted: record.deleted, _lastChangedAt: record.lastChangedAt };
}
