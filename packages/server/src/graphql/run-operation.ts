import {
  execute,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { ServerLimits } from '../server-options';
import type { DocumentCache } from './document-cache';
import { queryLimitsRule } from '../limits/query-limits';

/** A GraphQL request body. */
export interface GraphQLRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** The validation rules every document passes: the spec's, the limits, and no introspection in production. */
export function validationRules(limits: ServerLimits, production: boolean) {
  return [...specifiedRules, queryLimitsRule(limits.maxQueryDepth, limits.maxQueryCost), ...(production ? [NoSchemaIntrospectionCustomRule] : [])];
}

/** Parses and validates a request body; returns the document or the errors to answer with. */
export function prepareOperation(
  schema: GraphQLSchema,
  body: GraphQLRequest,
  rules: ReturnType<typeof validationRules>,
  cache?: DocumentCache,
): { document: DocumentNode } | { errors: GraphQLError[] } {
  if (typeof body.query !== 'string' || body.query.trim() === '') {
    return { errors: [new GraphQLError('The request has no "query" string: send { "query": "...", "variables": {...} }.')] };
  }
  if (body.variables !== undefined && body.variables !== null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) {
    return { errors: [new GraphQLError('"variables" must be a JSON object.')] };
  }
  const cached = cache?.get(body.query);
  if (cached) return { document: cached };
  let document: DocumentNode;
  try {
    document = parse(body.query, { maxTokens: 50_000 });
  } catch (error) {
    return { errors: [error instanceof GraphQLError ? error : new GraphQLError(`The query could not be parsed: ${(error as Error).message}`)] };
  }
  const errors = validate(schema, document, rules);
  if (errors.length > 0) return { errors: [...errors] };
  cache?.set(body.query, document);
  return { document };
}

/** Runs a prepared query or mutation. */
export async function runOperation(schema: GraphQLSchema, document: DocumentNode, body: GraphQLRequest, contextValue: unknown): Promise<ExecutionResult> {
  return execute({
    schema,
    document,
    contextValue,
    variableValues: (body.variables as Record<string, unknown> | undefined) ?? {},
    operationName: typeof body.operationName === 'string' ? body.operationName : null,
  });
}
