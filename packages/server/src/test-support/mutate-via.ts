import type { TestServer } from './test-server';
import { wsClient } from './graphql-ws-client';

/** The ways a client can send a mutation: createX/updateX/deleteX over HTTP, pushMutations, and createX/... over graphql-ws. */
export type MutationPath = 'http' | 'push' | 'ws';
export const MUTATION_PATHS: MutationPath[] = ['http', 'push', 'ws'];

/** One mutation's answer, the same shape whichever path carried it. */
export interface MutationAnswer {
  record: Record<string, any> | null;
  error: { errorType: string; message: string; data: any } | null;
}

export interface MutationCall {
  model: string;
  operation: 'create' | 'update' | 'delete';
  input: Record<string, unknown>;
  mutationId?: string;
  condition?: Record<string, unknown>;
  /** The fields to select on the HTTP and WebSocket paths (the push path returns the whole record). */
  selection: string;
}

const capital = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

function documentFor(call: MutationCall): { query: string; variables: Record<string, unknown> } {
  const field = `${call.operation}${call.model}`;
  const query = `mutation($input: ${capital(call.operation)}${call.model}Input!, $condition: Model${call.model}ConditionInput) {
    ${field}(input: $input, condition: $condition) { ${call.selection} }
  }`;
  const input = call.mutationId ? { ...call.input, _mutationId: call.mutationId } : call.input;
  return { query, variables: { input, ...(call.condition ? { condition: call.condition } : {}) } };
}

function fromGraphQL(call: MutationCall, result: { data?: any; errors?: any[] }): MutationAnswer {
  const record = result.data?.[`${call.operation}${call.model}`] ?? null;
  const e = result.errors?.[0];
  return { record, error: e ? { errorType: e.errorType, message: e.message, data: e.data ?? null } : null };
}

/**
 * Sends one mutation as `headers`' caller over `path` and answers what came back. Test helper: the three
 * paths must behave alike, so tests loop over {@link MUTATION_PATHS}.
 *
 * @example
 * const { record, error } = await mutateVia(t, 'push', alice, { model: 'Note', operation: 'create', input, selection: 'id' })
 */
export async function mutateVia(t: TestServer, path: MutationPath, headers: Record<string, string>, call: MutationCall): Promise<MutationAnswer> {
  if (path === 'push') {
    const { body } = await t.gql(
      'mutation($m: [OffgridMutationInput!]!) { pushMutations(mutations: $m) { mutationId record error { errorType message data } } }',
      {
        m: [
          {
            mutationId: call.mutationId ?? `push-${Math.random()}`,
            model: call.model,
            operation: call.operation.toUpperCase(),
            input: JSON.stringify(call.input),
            ...(call.condition ? { condition: JSON.stringify(call.condition) } : {}),
          },
        ],
      },
      headers,
    );
    if (body.errors) throw new Error(`pushMutations failed as a whole: ${JSON.stringify(body.errors)}`);
    const [r] = body.data.pushMutations;
    return {
      record: r.record ? JSON.parse(r.record) : null,
      error: r.error ? { errorType: r.error.errorType, message: r.error.message, data: r.error.data ? JSON.parse(r.error.data) : null } : null,
    };
  }
  const request = documentFor(call);
  if (path === 'http') return fromGraphQL(call, (await t.gql(request.query, request.variables, headers)).body);
  const client = wsClient(t.url, headers);
  try {
    const results = client.iterate(request);
    const { value } = await results.next();
    await results.return?.();
    return fromGraphQL(call, value as { data?: any; errors?: any[] });
  } finally {
    await client.dispose();
  }
}
