import { buildSchema, type ExecutionResult, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { subscribeSharingResults } from './shared-subscription-execution';

/**
 * A stand-in event source with counters: how many times each field resolver ran tells whether two
 * subscribers' results were computed once or twice. The server wires the same function to graphql-ws and
 * the AppSync real-time endpoint; their delivery and @auth tests (subscriptions.test.ts, realtime-server.test.ts)
 * run through it.
 */
function fixture() {
  const schema = buildSchema(`
    type Author { name: String }
    type Post { id: ID!, title: String, author: Author }
    type Query { ok: Boolean }
    type Subscription { onPost(tag: String): Post }
  `);
  const calls = { title: 0, author: 0 };
  const listeners = new Set<(event: object) => void>();
  const post = schema.getType('Post') as import('graphql').GraphQLObjectType;
  post.getFields().title!.resolve = (p: { title: string }) => (calls.title++, p.title);
  post.getFields().author!.resolve = (_p, _a, ctx: { viewer: string }) => (calls.author++, { name: `seen by ${ctx.viewer}` });
  const sub = (schema.getType('Subscription') as import('graphql').GraphQLObjectType).getFields().onPost!;
  sub.subscribe = () => {
    const queue: object[] = [];
    const waiting: Array<(r: IteratorResult<object>) => void> = [];
    const listener = (event: object) => {
      const w = waiting.shift();
      if (w) w({ value: event, done: false });
      else queue.push(event);
    };
    listeners.add(listener);
    const iterator: AsyncIterableIterator<object> = {
      next: () => (queue.length ? Promise.resolve({ value: queue.shift()!, done: false }) : new Promise((r) => waiting.push(r))),
      return: async () => {
        listeners.delete(listener);
        for (const w of waiting.splice(0)) w({ value: undefined, done: true });
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  };
  sub.resolve = (event: unknown) => event;
  const publish = (event: object) => {
    for (const l of listeners) l(event);
  };
  const open = async (query: string, viewer: string, variableValues?: Record<string, unknown>) => {
    const result = await subscribeSharingResults({ schema, document: parse(query), contextValue: { viewer }, ...(variableValues ? { variableValues } : {}) });
    return result as AsyncIterableIterator<ExecutionResult>;
  };
  return { calls, listeners, publish, open };
}

describe('subscribeSharingResults', () => {
  it('executes a scalar-only selection once per event for every subscriber to the same document', async () => {
    const f = fixture();
    const q = 'subscription { onPost { id title } }';
    const subs = await Promise.all(['ann', 'bo', 'cy'].map((v) => f.open(q, v)));
    const next = subs.map((s) => s.next());
    f.publish({ id: 'p1', title: 'Hello' });
    const results = await Promise.all(next);
    for (const r of results) expect(r.value).toEqual({ data: { onPost: { id: 'p1', title: 'Hello' } } });
    expect(f.calls.title).toBe(1);
  });

  it('does not share across different variables or documents', async () => {
    const f = fixture();
    const a = await f.open('subscription S($t: String) { onPost(tag: $t) { title } }', 'ann', { t: 'x' });
    const b = await f.open('subscription S($t: String) { onPost(tag: $t) { title } }', 'bo', { t: 'y' });
    const c = await f.open('subscription { onPost { renamed: title } }', 'cy');
    const next = [a.next(), b.next(), c.next()];
    f.publish({ id: 'p1', title: 'Hi' });
    const [ra, rb, rc] = await Promise.all(next);
    expect(ra!.value).toEqual({ data: { onPost: { title: 'Hi' } } });
    expect(rb!.value).toEqual({ data: { onPost: { title: 'Hi' } } });
    expect(rc!.value).toEqual({ data: { onPost: { renamed: 'Hi' } } });
    expect(f.calls.title).toBe(3);
  });

  it('executes a nested selection (a relation, resolved as the subscriber) once per subscriber', async () => {
    const f = fixture();
    const q = 'subscription { onPost { id author { name } } }';
    const [ann, bo] = await Promise.all([f.open(q, 'ann'), f.open(q, 'bo')]);
    const next = [ann.next(), bo.next()];
    f.publish({ id: 'p1', title: 'Hello' });
    const [ra, rb] = await Promise.all(next);
    expect(ra!.value).toEqual({ data: { onPost: { id: 'p1', author: { name: 'seen by ann' } } } });
    expect(rb!.value).toEqual({ data: { onPost: { id: 'p1', author: { name: 'seen by bo' } } } });
    expect(f.calls.author).toBe(2);
  });

  it('ends the source at once when the subscriber stops while waiting for an event', async () => {
    const f = fixture();
    const s = await f.open('subscription { onPost { id } }', 'ann');
    const pending = s.next();
    expect(f.listeners.size).toBe(1);
    await s.return!();
    expect(f.listeners.size).toBe(0);
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});
