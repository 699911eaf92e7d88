import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { AppSyncError } from '../errors/appsync-error';

/**
 * Refuses a `pushMutations` call carrying more than `maxBatchSize` mutations, before any of them is
 * applied, so an oversized batch writes nothing. Wraps the field's resolver, which covers HTTP and
 * WebSocket and literal lists as well as variables (a validation rule would only see literals).
 *
 * @example
 * enforceBatchSize(gqlSchema, limits.maxBatchSize)
 */
export function enforceBatchSize(schema: GraphQLSchema, maxBatchSize: number): void {
  const field = schema.getMutationType()?.getFields().pushMutations;
  if (!field?.resolve) return;
  const inner: GraphQLFieldResolver<unknown, unknown> = field.resolve;
  field.resolve = (source, args, context, info) => {
    const list = (args as { mutations?: unknown }).mutations;
    if (Array.isArray(list) && list.length > maxBatchSize) {
      throw new AppSyncError(
        'LimitExceeded',
        `pushMutations got ${list.length} mutations; the limit is ${maxBatchSize} per call (limits.maxBatchSize). Send them in smaller batches; nothing was applied.`,
      );
    }
    return inner(source, args, context, info);
  };
}
