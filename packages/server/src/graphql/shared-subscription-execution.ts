import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  getOperationAST,
  Kind,
  type SelectionSetNode,
} from 'graphql';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * One committed record is one event object handed to every matching subscriber by the hub. graphql-js
 * would execute the subscription's selection set once per subscriber and event; with a thousand
 * subscribers on the same document, that is a thousand identical executions per write (most of the
 * server's CPU in the fan-out benchmark after the socket writes). Results are shared per event for
 * subscriptions whose output can depend on nothing but the event, the document and the variables.
 */
const resultsByEvent = new WeakMap<object, Map<string, Result>>();

/**
 * Whether the selection set reads only scalar fields of the event (default resolvers). A nested
 * selection may be a relation, whose resolver reads the store as the subscriber (its @auth), and a
 * fragment spread is not followed here: neither is shared.
 */
function selectsOnlyEventScalars(selectionSet: SelectionSetNode | undefined, depth = 0): boolean {
  if (!selectionSet) return true;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) return false;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selectsOnlyEventScalars(selection.selectionSet, depth)) return false;
      continue;
    }
    // depth 0 is the subscription field itself (its resolver returns the event); below it, only leaves.
    if (depth === 0) {
      if (!selectsOnlyEventScalars(selection.selectionSet, 1)) return false;
    } else if (selection.selectionSet) return false;
  }
  return true;
}

/** The key under which subscribers may share an event's result, or undefined when they may not. */
function sharingKey(args: ExecutionArgs): string | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation || !selectsOnlyEventScalars(operation.selectionSet)) return undefined;
  const body = args.document.loc?.source.body;
  if (body === undefined) return undefined;
  return `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${body}`;
}

/** Maps a source event stream to execution results, passing `return` straight to the source. */
function mapEvents(source: AsyncIterator<unknown>, toResult: (event: unknown) => Result): AsyncIterableIterator<ExecutionResult> {
  const map = async (step: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> =>
    step.done ? step : { value: await toResult(step.value), done: false };
  return {
    next: () => source.next().then(map),
    // Called by graphql-ws on `complete` or a closed socket while a `next` may be pending: ending the
    // source at once (not after its next event) is what unregisters the subscriber from the hub.
    return: async () => (source.return ? source.return().then(map) : { value: undefined, done: true }),
    throw: async (error) => {
      if (source.throw) return source.throw(error).then(map);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * graphql-js's `subscribe`, except that subscribers to the same document and variables share one
 * execution per event when the selection cannot depend on who subscribed (only the event's own scalar
 * fields). Who may receive an event is decided before this, per subscriber, by the subscription hub.
 *
 * @example
 * useServer({ schema, subscribe: subscribeSharingResults }, wss)
 */
export async function subscribeSharingResults(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const events = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const run = (event: unknown): Result => execute({ ...args, rootValue: event });
  const key = sharingKey(args);
  if (key === undefined) return mapEvents(events, run);
  return mapEvents(events, (event) => {
    if (typeof event !== 'object' || event === null) return run(event);
    let results = resultsByEvent.get(event);
    if (!results) resultsByEvent.set(event, (results = new Map()));
    let result = results.get(key);
    if (!result) results.set(key, (result = run(event)));
    return result;
  });
}
