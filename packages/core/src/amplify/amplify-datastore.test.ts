import { parseSchema } from '@offgrid/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { DataStore, Hub, initSchema, Predicates, SortDirection, syncExpression } from '../amplify';

const schema = parseSchema(`
  type Post @model { id: ID! title: String! rating: Int status: String }
`);

describe('@offgrid/core/amplify: Amplify call shapes', () => {
  afterEach(async () => {
    await DataStore.clear();
  });

  it('runs an app written against Amplify\'s documented API, changing only imports and configure', async () => {
    const { Post } = initSchema<{ Post: Record<string, any> }>(schema);
    DataStore.configure({ syncExpressions: [syncExpression(Post, () => (p: any) => p.rating.gt(1))] });
    const events: string[] = [];
    const stop = Hub.listen('datastore', ({ payload }) => events.push(payload.event));
    await DataStore.save(new Post({ title: 'Hello', rating: 5, status: 'ACTIVE' }));
    await DataStore.save(new Post({ title: 'Bye', rating: 2, status: 'INACTIVE' }));
    const all = await DataStore.query(Post, Predicates.ALL, { sort: (s: any) => s.rating(SortDirection.DESCENDING) });
    expect(all.map((p) => p.title)).toEqual(['Hello', 'Bye']);
    const active = await DataStore.query(Post, (c: any) => c.status.eq('ACTIVE'));
    expect(active).toHaveLength(1);
    const original = await DataStore.query(Post, active[0]!.id as string);
    await DataStore.save(Post.copyOf(original!, (updated: any) => { updated.title = 'Hello again'; }));
    const seen: string[] = [];
    const sub = DataStore.observeQuery(Post).subscribe(({ items }) => seen.push(items.map((p) => p.title).join(',')));
    await new Promise((r) => setTimeout(r, 10));
    await DataStore.delete(Post, (c: any) => c.status.eq('INACTIVE'));
    expect(seen.at(-1)).toBe('Hello again');
    sub.unsubscribe();
    expect(events).toContain('outboxMutationEnqueued');
    expect(events).toContain('outboxStatus');
    stop();
  });

  it('clear() reports what it discards, as a Hub event too', async () => {
    const { Post } = initSchema<{ Post: Record<string, any> }>(schema);
    await DataStore.save(new Post({ title: 'unsent' }));
    const events: Array<{ event: string; data?: any }> = [];
    Hub.listen('datastore', ({ payload }) => events.push(payload));
    const { discarded } = await DataStore.clear();
    expect(discarded).toHaveLength(1);
    expect(events.find((e) => e.event === 'cleared')?.data.discarded).toHaveLength(1);
  });

  it('initSchema returns enums as objects of their values, as Amplify\'s generated index does', async () => {
    await DataStore.clear();
    const withEnum = parseSchema(`enum Status { DRAFT LIVE } type Doc @model { id: ID! status: Status }`);
    const { Status } = initSchema(withEnum);
    expect(Status).toEqual({ DRAFT: 'DRAFT', LIVE: 'LIVE' });
  });

  it('refuses configure after the store started, with what to do', async () => {
    const { Post } = initSchema<{ Post: Record<string, any> }>(schema);
    await DataStore.save(new Post({ title: 'x' }));
    expect(() => DataStore.configure({ syncPageSize: 10 })).toThrow(/before the first DataStore call/);
  });
});
