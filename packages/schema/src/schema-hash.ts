import { canonicalJson } from './canonical-json';
import type { NormalizedSchema } from './types';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/**
 * The hash client and server compare to know they speak the same schema. It covers the
 * normalized meaning only, so whitespace, comments and the order of type definitions in the
 * SDL do not change it. 64-bit FNV-1a: not cryptographic, just stable and dependency-free.
 *
 * @example
 * ```ts
 * const { hash, ...rest } = parseSchema(sdl);
 * schemaHash(rest) === hash; // true
 * ```
 */
export function schemaHash(schema: Omit<NormalizedSchema, 'hash'>): string {
  const { formatVersion, models, nonModels, enums } = schema;
  const bytes = new TextEncoder().encode(canonicalJson({ formatVersion, models, nonModels, enums }));
  let hash = FNV_OFFSET;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}
