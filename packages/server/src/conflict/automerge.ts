/** The outcome of merging a client's field changes into the stored record. */
export interface MergeResult {
  /** The record's fields after the merge. */
  data: Record<string, unknown>;
  /** Fields whose stored value changed. */
  changed: string[];
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Server's items first, then the client's new ones, without duplicates (Amplify's list merge). */
function unionLists(server: unknown, client: unknown): unknown {
  if (!Array.isArray(server) || !Array.isArray(client)) return server;
  const out = [...server];
  for (const item of client) if (!out.some((s) => sameJson(s, item))) out.push(item);
  return out;
}

/**
 * The field-level three-way merge. For each field the client changed: if the server has not changed it
 * since the client's base version, the client's value is taken; if both changed it, a list becomes the
 * union and a scalar follows `scalarRule`. Fields the client did not send are never touched.
 *
 * @example
 * automerge(stored, fieldVersions, { title: 'b' }, 3, 'SERVER_WINS')
 */
export function automerge(
  stored: Record<string, unknown>,
  fieldVersions: Record<string, number>,
  incoming: Record<string, unknown>,
  baseVersion: number,
  scalarRule: 'SERVER_WINS' | 'LAST_WRITER_WINS',
): MergeResult {
  const data = { ...stored };
  const changed: string[] = [];
  for (const [field, value] of Object.entries(incoming)) {
    const serverChanged = (fieldVersions[field] ?? 0) > baseVersion;
    let next = value;
    if (serverChanged) {
      if (Array.isArray(stored[field]) && Array.isArray(value)) next = unionLists(stored[field], value);
      else if (scalarRule === 'SERVER_WINS') continue;
    }
    if (!sameJson(stored[field], next)) {
      if (next === undefined) delete data[field];
      else data[field] = next;
      changed.push(field);
    }
  }
  return { data, changed };
}
