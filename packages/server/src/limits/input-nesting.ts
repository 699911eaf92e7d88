/**
 * How deeply a request may nest brackets in its query text, or objects and lists in its variables. Far
 * beyond any real filter (`and`/`or`/`not` trees a few levels deep), and far below the depth at which the
 * recursive GraphQL parser, input coercion and filter translation overflow the stack.
 */
export const MAX_INPUT_NESTING = 64;

/** The deepest `{`/`[`/`(` nesting of a GraphQL document, ignoring brackets inside strings and comments. */
function queryNesting(query: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '#') {
      while (i < query.length && query[i] !== '\n') i++;
    } else if (c === '"') {
      if (query.startsWith('"""', i)) {
        const end = query.indexOf('"""', i + 3);
        i = end < 0 ? query.length : end + 2;
      } else {
        for (i++; i < query.length && query[i] !== '"' && query[i] !== '\n'; i++) if (query[i] === '\\') i++;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      max = Math.max(max, ++depth);
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
    }
  }
  return max;
}

/** The deepest object/list nesting of a JSON value, walked without recursion; stops counting past `limit`. */
export function valueNesting(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, depth + 1);
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * Why a request nests too deeply (an error message saying what to change), or undefined. Checked before
 * parsing, so an adversarial body gets a clear error instead of a stack overflow.
 *
 * @example
 * const problem = nestingProblem(body.query, body.variables, MAX_INPUT_NESTING)
 */
export function nestingProblem(query: unknown, variables: unknown, max: number = MAX_INPUT_NESTING): string | undefined {
  if (typeof query === 'string') {
    const depth = queryNesting(query);
    if (depth > max) return `The query nests brackets ${depth} levels deep; the limit is ${max}. Flatten nested and/or/not filters.`;
  }
  const depth = valueNesting(variables, max);
  if (depth > max) return `The variables nest objects or lists more than ${max} levels deep; the limit is ${max}. Flatten nested and/or/not filters.`;
  return undefined;
}
