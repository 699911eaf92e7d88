import type { FieldDefinition } from '@offgrid/schema';
import { valueNesting } from './input-nesting';

/** The per-value size limits of mutation input, far below the body cap (see {@link ServerLimits}). */
export interface InputSizeLimits {
  maxIdLength: number;
  maxListLength: number;
  maxJsonDepth: number;
}

function scalarProblem(field: FieldDefinition, value: unknown, limits: InputSizeLimits): string | undefined {
  if (field.type.kind !== 'scalar' || typeof value !== 'string') return undefined;
  if (field.type.name === 'ID' && value.length > limits.maxIdLength) {
    return `is ${value.length} characters long; the limit for an ID is ${limits.maxIdLength} (limits.maxIdLength). Use a shorter id.`;
  }
  if (field.type.name === 'AWSJSON') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined; // not JSON at all: the scalar check says so
    }
    const depth = valueNesting(parsed, limits.maxJsonDepth);
    if (depth > limits.maxJsonDepth) {
      return `nests objects or arrays more than ${limits.maxJsonDepth} levels deep (limits.maxJsonDepth). Flatten the JSON.`;
    }
  }
  return undefined;
}

/**
 * Why one input field's value is too large (the reason, to follow `Model.field`), or undefined: an ID
 * longer than `maxIdLength`, a list longer than `maxListLength`, an AWSJSON value nested deeper than
 * `maxJsonDepth`. Checked before anything is read or written, so an oversized value costs no storage work.
 *
 * @example
 * inputSizeProblem(def.fields.id, 'x'.repeat(5000), limits) // 'is 5000 characters long; ...'
 */
export function inputSizeProblem(field: FieldDefinition, value: unknown, limits: InputSizeLimits): string | undefined {
  if (Array.isArray(value)) {
    if (value.length > limits.maxListLength) {
      return `has ${value.length} items; the limit for a list is ${limits.maxListLength} (limits.maxListLength). Split the data or raise the limit.`;
    }
    for (const [i, item] of value.entries()) {
      const problem = scalarProblem(field, item, limits);
      if (problem) return `[${i}] ${problem}`;
    }
    return undefined;
  }
  return scalarProblem(field, value, limits);
}
