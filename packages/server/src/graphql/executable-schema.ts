import {
  apiNames,
  FilterInputError,
  filterToPredicate,
  generateGraphQLApi,
  modelKeyOf,
  ownProperty,
  type ModelDefinition,
  type NormalizedSchema,
  type PredicateNode,
} from '@offgrid/schema';
import { buildSchema, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { isAllowed, mayEver } from '../auth/authorize';
import { AppSyncError } from '../errors/appsync-error';
import type { MutationRequest } from '../mutations/apply-mutation';
import type { MutationOutcome } from '../mutations/mutation-service';
import { recordJson } from '../mutations/record-json';
import type { SubscriptionOperation } from '../pubsub/subscription-hub';
import type { ServerContext } from './server-context';

type Args = Record<string, any>;
type Resolver = GraphQLFieldResolver<unknown, ServerContext, Args>;

function readFilter(model: ModelDefinition, filter: unknown, path: string): PredicateNode | undefined {
  try {
    return filterToPredicate(model, filter as Record<string, unknown> | null, path);
  } catch (error) {
    if (error instanceof FilterInputError) throw new AppSyncError('BadRequest', error.message);
    throw error;
  }
}

function parseJson(value: unknown, what: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new AppSyncError('BadRequest', `${what} is not valid JSON`);
  }
}

function requireRead(model: ModelDefinition, ctx: ServerContext): void {
  if (!mayEver(model, ctx.identity, 'read')) {
    throw new AppSyncError('Unauthorized', `Not Authorized to access ${model.name}: no @auth rule allows this caller to read it.`);
  }
}

function unwrap(outcome: MutationOutcome): Record<string, unknown> {
  if (outcome.ok) return outcome.record;
  throw new AppSyncError(outcome.error.errorType as never, outcome.error.message, outcome.error.data);
}

async function mutate(ctx: ServerContext, requests: MutationRequest[]): Promise<MutationOutcome[]> {
  return ctx.mutations.apply(
    { schema: ctx.schema, identity: ctx.identity, conflictFor: ctx.conflictFor, now: ctx.now, allowOwnerTransfer: ctx.allowOwnerTransfer, inputLimits: ctx.inputLimits },
    requests,
  );
}

/** Whether the query selects `field` directly on the resolved object. */
function selects(info: GraphQLResolveInfo, field: string): boolean {
  return info.fieldNodes.some((node) => node.selectionSet?.selections.some((s) => s.kind === 'Field' && s.name.value === field));
}

/**
 * The forms of the caller's identity an owner field may hold (`sub`, the username, Amplify's `sub::username`),
 * when `value` is one of them; otherwise undefined (the argument names someone else).
 */
function ownerAliases(identity: ServerContext['identity'], value: string): string[] | undefined {
  if (identity.kind !== 'jwt') return undefined;
  const forms = new Set<string>([identity.sub]);
  if (identity.username) forms.add(identity.username).add(`${identity.sub}::${identity.username}`);
  return forms.has(value) ? [...forms] : undefined;
}

const OPERATIONS = new Map<unknown, MutationRequest['operation']>([
  ['CREATE', 'create'],
  ['UPDATE', 'update'],
  ['DELETE', 'delete'],
]);

/** One pushMutations item as a request; throws an {@link AppSyncError} naming the item when it cannot be read. */
function readPushItem(schema: NormalizedSchema, m: Record<string, unknown>, i: number): MutationRequest {
  const model = typeof m.model === 'string' ? ownProperty(schema.models, m.model) : undefined;
  if (!model) throw new AppSyncError('BadRequest', `mutations[${i}].model: unknown model "${String(m.model)}"; name a model of the schema.`);
  const operation = OPERATIONS.get(m.operation);
  if (!operation) throw new AppSyncError('BadRequest', `mutations[${i}].operation: use CREATE, UPDATE or DELETE.`);
  const input = parseJson(m.input, `mutations[${i}].input`) as Record<string, unknown>;
  const condition = m.condition ? readFilter(model, parseJson(m.condition, `mutations[${i}].condition`), `mutations[${i}].condition`) : undefined;
  return { model: model.name, operation, input, mutationId: m.mutationId as string, ...(condition ? { condition } : {}) };
}

function refusal(error: unknown): MutationOutcome {
  if (!(error instanceof AppSyncError)) throw error;
  return { ok: false, error: { errorType: error.errorType, message: error.message, data: null } };
}

/**
 * The executable GraphQL schema of the sync API: the generated AppSync-shaped SDL with resolvers for
 * queries, sync, mutations, the batched push and subscriptions.
 */
export function buildExecutableSchema(schema: NormalizedSchema): GraphQLSchema {
  const gql = buildSchema(generateGraphQLApi(schema));
  const query = gql.getQueryType()!.getFields();
  const mutation = gql.getMutationType()!.getFields();
  const subscription = gql.getSubscriptionType()!.getFields();

  for (const model of Object.values(schema.models)) {
    const n = apiNames(model);
    query[n.get]!.resolve = (async (_, args, ctx, info) => {
      requireRead(model, ctx);
      const record = await ctx.store.get(model.name, modelKeyOf(model, args));
      // A tombstone is returned only to a caller that selects `_deleted` (as AppSync's DataStore-enabled get
      // does): Amplify's conflictHandler DISCARD path reads the server's record with getX and must see the delete.
      if (!record || (record.deleted && !selects(info, '_deleted')) || !isAllowed(model, ctx.identity, 'read', record.data)) return null;
      return recordJson(record);
    }) as Resolver;
    query[n.list]!.resolve = (async (_, args, ctx) => {
      requireRead(model, ctx);
      return ctx.sync.list(model, ctx.identity, { filter: readFilter(model, args.filter, 'filter'), limit: args.limit, nextToken: args.nextToken });
    }) as Resolver;
    query[n.sync]!.resolve = (async (_, args, ctx, info) => {
      requireRead(model, ctx);
      return ctx.sync.sync(model, ctx.identity, {
        filter: readFilter(model, args.filter, 'filter'),
        limit: args.limit,
        nextToken: args.nextToken,
        lastSync: args.lastSync,
        // Counted only for a client that asks (Offgrid's, for its progress); Amplify's never selects it.
        withTotal: selects(info, 'total'),
      });
    }) as Resolver;

    for (const [field, operation] of [[n.create, 'create'], [n.update, 'update'], [n.delete, 'delete']] as const) {
      mutation[field]!.resolve = (async (_, args, ctx) => {
        const input = args.input as Record<string, unknown>;
        const condition = readFilter(model, args.condition, 'condition');
        const mutationId = typeof input._mutationId === 'string' ? input._mutationId : undefined;
        const [outcome] = await mutate(ctx, [{ model: model.name, operation, input, ...(condition ? { condition } : {}), ...(mutationId ? { mutationId } : {}) }]);
        return unwrap(outcome!);
      }) as Resolver;
    }

    for (const [field, operation] of [[n.onCreate, 'create'], [n.onUpdate, 'update'], [n.onDelete, 'delete']] as const) {
      const sub = subscription[field]!;
      sub.subscribe = ((_: unknown, args: Args, ctx: ServerContext) => {
        requireRead(model, ctx);
        const ownerField = Object.keys(args).find((a) => a !== 'filter' && typeof args[a] === 'string');
        const filter = args.filter ? readFilter(model, args.filter, 'filter') : undefined;
        const owner = ownerField ? { field: ownerField, value: args[ownerField] as string } : undefined;
        // Amplify passes the owner as its token names it (`cognito:username` by default) while the record may
        // hold the `sub` or `sub::username`: when the argument names the caller, match any of the caller's forms.
        const aliases = owner ? ownerAliases(ctx.identity, owner.value) : undefined;
        const byOwner: PredicateNode | undefined = owner && aliases
          ? { type: 'or', children: aliases.map((value) => ({ type: 'field', field: owner.field, op: model.fields[owner.field]?.isList ? 'contains' : 'eq', value }) as PredicateNode) }
          : undefined;
        const combined = byOwner && filter ? { type: 'and' as const, children: [byOwner, filter] } : (byOwner ?? filter);
        return ctx.hub.subscribe({
          model,
          operation: operation as SubscriptionOperation,
          identity: ctx.identity,
          ...(combined ? { filter: combined } : {}),
          ...(owner && !aliases ? { owner } : {}),
        });
      }) as never;
      sub.resolve = (payload: unknown) => payload;
    }

    const type = gql.getType(model.name) as import('graphql').GraphQLObjectType;
    const fields = type.getFields();
    for (const name of model.fieldOrder) {
      const relation = model.fields[name]!.relation;
      if (!relation) continue;
      if (relation.kind === 'belongsTo' || relation.kind === 'hasOne') {
        const target = schema.models[relation.model]!;
        fields[name]!.resolve = (async (parent: Record<string, unknown>, _: Args, ctx: ServerContext) => {
          const values = relation.targetNames.map((f) => parent[f]);
          if (values.some((v) => v === null || v === undefined)) return null;
          const record = await ctx.store.get(target.name, modelKeyOf(target, Object.fromEntries(target.primaryKey.map((k, i) => [k, values[i]]))));
          if (!record || !isAllowed(target, ctx.identity, 'read', record.data)) return null;
          return recordJson(record);
        }) as Resolver;
      } else {
        const child = schema.models[relation.kind === 'manyToMany' ? relation.joinModel : relation.model]!;
        fields[name]!.resolve = (async (parent: Record<string, unknown>, args: Args, ctx: ServerContext) => {
          const keyFilter: PredicateNode = {
            type: 'and',
            children: relation.associatedWith.map((f, i) => ({ type: 'field', field: f, op: 'eq', value: parent[model.primaryKey[i]!] }) as PredicateNode),
          };
          const extra = readFilter(child, args.filter, 'filter');
          return ctx.sync.list(child, ctx.identity, { filter: extra ? { type: 'and', children: [keyFilter, extra] } : keyFilter, limit: args.limit, nextToken: args.nextToken });
        }) as Resolver;
      }
    }
  }

  mutation.pushMutations!.resolve = (async (_, args, ctx) => {
    const list = args.mutations as Array<Record<string, unknown>>;
    // An item that cannot be read (unknown model, bad JSON, bad condition) is refused on its own; the
    // rest of the batch applies, as if that item had been refused by the write path.
    const items = list.map((m, i) => {
      try {
        return { request: readPushItem(schema, m, i) };
      } catch (error) {
        return { refused: refusal(error) };
      }
    });
    const requests = items.flatMap((item) => (item.request ? [item.request] : []));
    const applied = requests.length > 0 ? await mutate(ctx, requests) : [];
    let next = 0;
    const outcomes = items.map((item) => (item.request ? applied[next++]! : item.refused!));
    return outcomes.map((o, i) => ({
      mutationId: list[i]!.mutationId,
      record: o.ok ? JSON.stringify(o.record) : null,
      error: o.ok ? null : { ...o.error, data: o.error.data === null || o.error.data === undefined ? null : JSON.stringify(o.error.data) },
    }));
  }) as Resolver;

  return gql;
}
