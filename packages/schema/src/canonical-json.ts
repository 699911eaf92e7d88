/**
 * JSON with object keys sorted at every depth. Arrays keep their order because order means
 * something there (key fields, field order); object key order never does.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2, 1] }); // '{"a":[2,1],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
