import { type ArgumentNode, type DirectiveNode, Kind, valueFromASTUntyped } from 'graphql';
import type { ParseContext } from './parse-context';

/** The argument node, so errors can point at the argument rather than the directive. */
export function findArgument(directive: DirectiveNode, name: string): ArgumentNode | undefined {
  return directive.arguments?.find((argument) => argument.name.value === name);
}

/** The argument's plain JS value; `undefined` when absent, `null` when written as `null`. */
export function argumentValue(directive: DirectiveNode, name: string): unknown {
  const argument = findArgument(directive, name);
  return argument ? valueFromASTUntyped(argument.value) : undefined;
}

/** An optional string argument; anything but a string literal is an error naming `owner`. */
export function stringArgument(
  ctx: ParseContext,
  directive: DirectiveNode,
  name: string,
  owner: string,
): string | undefined {
  const argument = findArgument(directive, name);
  if (!argument) return undefined;
  if (argument.value.kind !== Kind.STRING) {
    ctx.fail(argument, `@${directive.name.value}(${name}:) on ${owner} must be a string, e.g. ${name}: "value".`);
  }
  return argument.value.value;
}

/**
 * An optional list-of-strings argument. A single string is accepted too, because GraphQL input
 * coercion (which AppSync applies) turns `fields: "a"` into `["a"]`.
 */
export function stringListArgument(
  ctx: ParseContext,
  directive: DirectiveNode,
  name: string,
  owner: string,
): string[] | undefined {
  const argument = findArgument(directive, name);
  if (!argument) return undefined;
  const value = argument.value;
  if (value.kind === Kind.STRING) return [value.value];
  if (value.kind === Kind.LIST && value.values.every((item) => item.kind === Kind.STRING)) {
    return value.values.map((item) => (item.kind === Kind.STRING ? item.value : ''));
  }
  ctx.fail(argument, `@${directive.name.value}(${name}:) on ${owner} must be a list of field names, e.g. ${name}: ["a", "b"].`);
}
