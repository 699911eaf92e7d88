/** Metadata the server assigns; a client never sets them, and they are not part of a record's changes. */
export const MANAGED_FIELDS: ReadonlySet<string> = new Set(['_version', '_lastChangedAt', '_deleted']);
