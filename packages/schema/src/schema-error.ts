import { getLocation, type ASTNode } from 'graphql';

/** Where in the SDL a problem sits; `line` and `column` are 1-based. */
export interface SchemaErrorLocation {
  sourceName: string;
  line: number;
  column: number;
}

/**
 * The SDL cannot be loaded. The message starts with `file:line:column:` so editors and terminals
 * can jump to it, names the model and field, and says what to change.
 *
 * @example
 * ```ts
 * try {
 *   parseSchema('type Post @model { title: Strng }');
 * } catch (error) {
 *   if (error instanceof SchemaError) console.error(error.message, error.line, error.column);
 * }
 * ```
 */
export class SchemaError extends Error {
  /** Stable code, shared with the rest of Offgrid's error catalogue. */
  readonly code = 'SCHEMA_INVALID' as const;
  readonly sourceName: string;
  readonly line: number;
  readonly column: number;

  constructor(location: SchemaErrorLocation, detail: string) {
    super(`${location.sourceName}:${location.line}:${location.column}: ${detail}`);
    this.name = 'SchemaError';
    this.sourceName = location.sourceName;
    this.line = location.line;
    this.column = location.column;
  }
}

/**
 * Builds a {@link SchemaError} pointing at an AST node. Nodes the parser made always carry `loc`;
 * the fallback to 1:1 only covers nodes built by hand.
 *
 * @example
 * ```ts
 * throw schemaErrorAt(fieldNode, 'schema.graphql', 'Duplicate field Post.title. Remove one.');
 * ```
 */
export function schemaErrorAt(node: ASTNode | undefined, sourceName: string, detail: string): SchemaError {
  const loc = node?.loc;
  if (!loc) return new SchemaError({ sourceName, line: 1, column: 1 }, detail);
  const { line, column } = getLocation(loc.source, loc.start);
  return new SchemaError({ sourceName, line, column }, detail);
}
