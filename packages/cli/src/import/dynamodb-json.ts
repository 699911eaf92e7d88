/**
 * DynamoDB JSON (the typed attribute format of DynamoDB's "export to S3" and its APIs) to plain JSON.
 *
 * @example
 * unmarshallItem({ id: { S: 'a1' }, done: { BOOL: true }, _version: { N: '3' } }) // { id: 'a1', done: true, _version: 3 }
 */

/** One DynamoDB attribute value: `{ "S": "text" }`, `{ "N": "12" }`, `{ "M": {...} }`, ... */
export type AttributeValue = Record<string, unknown>;

/** A value that is not DynamoDB JSON, with where it is (`title`, `tags[2]`, `address.street`). */
export class AttributeError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function number(path: string, text: unknown): number {
  const n = typeof text === 'string' ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) throw new AttributeError(path, `expected a number in "N", got ${JSON.stringify(text)}`);
  return n;
}

/** Converts one attribute value; `path` names it in errors. */
export function unmarshallValue(value: unknown, path: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AttributeError(path, `expected a DynamoDB attribute like {"S": "..."}, got ${JSON.stringify(value)}`);
  }
  const entries = Object.entries(value as AttributeValue);
  if (entries.length !== 1) {
    throw new AttributeError(path, `expected exactly one type tag (S, N, BOOL, NULL, M, L, SS, NS, BS, B), got ${JSON.stringify(Object.keys(value))}`);
  }
  const [tag, inner] = entries[0]!;
  switch (tag) {
    case 'S':
    case 'B':
      if (typeof inner !== 'string') throw new AttributeError(path, `expected a string in "${tag}", got ${JSON.stringify(inner)}`);
      return inner;
    case 'N':
      return number(path, inner);
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new AttributeError(path, `expected true or false in "BOOL", got ${JSON.stringify(inner)}`);
      return inner;
    case 'NULL':
      return null;
    case 'M':
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new AttributeError(path, `expected an object in "M"`);
      return unmarshallItem(inner as Record<string, unknown>, `${path}.`);
    case 'L':
      if (!Array.isArray(inner)) throw new AttributeError(path, `expected a list in "L"`);
      return inner.map((item, i) => unmarshallValue(item, `${path}[${i}]`));
    case 'SS':
    case 'BS':
      if (!Array.isArray(inner) || inner.some((s) => typeof s !== 'string')) throw new AttributeError(path, `expected a list of strings in "${tag}"`);
      return [...inner];
    case 'NS':
      if (!Array.isArray(inner)) throw new AttributeError(path, `expected a list of numbers in "NS"`);
      return inner.map((n, i) => number(`${path}[${i}]`, n));
    default:
      throw new AttributeError(path, `unknown DynamoDB type tag "${tag}"`);
  }
}

/** Converts a DynamoDB JSON item (`{ "id": { "S": "a1" }, ... }`) to a plain object. */
export function unmarshallItem(item: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) out[name] = unmarshallValue(value, `${prefix}${name}`);
  return out;
}
