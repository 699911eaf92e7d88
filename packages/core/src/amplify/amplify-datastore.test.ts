import { parseSchema } from '@offgrid/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { DataStore, DISCARD, Hub, initSchema, Predicates, SortDirection, syncExpression } from '../amplify';
import { ModelSyncRefusedError } from '../errors';
import type { DataStoreEvent } from '../events/datastore-event';
import { amplifyConflictHandler } from './amplify-conflict';
import { AmplifyHubTranslator } from './amplify-hub';
import { syncErrorOf } from './amplify-sync-error';

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

describe('@offgrid/core/amplify: Amplify payloads', () => {
  afterEach(async () => {
    await DataStore.clear();
  });

  it('DataStore.observe(record) watches that one record, and messages carry the model class', async () => {
    const { Post } = initSchema<{ Post: Record<string, any> }>(schema);
    const watched = await DataStore.save(new Post({ title: 'Watch me' }));
    const other = await DataStore.save(new Post({ title: 'Not me' }));
    const seen: Array<{ opType: string; title: string; model: unknown }> = [];
    const sub = DataStore.observe(watched).subscribe((m) => seen.push({ opType: m.opType, title: m.element.title, model: m.model }));
    await DataStore.save(Post.copyOf(other, (d: any) => void (d.title = 'Not me, edited')));
    await DataStore.save(Post.copyOf(watched, (d: any) => void (d.title = 'Watched, edited')));
    await DataStore.delete(watched);
    sub.unsubscribe();
    expect(seen).toEqual([
      { opType: 'UPDATE', title: 'Watched, edited', model: Post },
      { opType: 'DELETE', title: 'Watched, edited', model: Post },
    ]);
  });

  it('Hub outbox events carry the model class and a record, outboxStatus only isEmpty, as Amplify dispatches them', async () => {
    const { Post } = initSchema<{ Post: Record<string, any> }>(schema);
    const payloads: Array<{ event: string; data?: any }> = [];
    const stop = Hub.listen('datastore', ({ payload }) => payloads.push(payload));
    const saved = await DataStore.save(new Post({ title: 'Hub' }));
    stop();
    const enqueued = payloads.find((p) => p.event === 'outboxMutationEnqueued')!;
    expect(enqueued.data.model).toBe(Post);
    expect(enqueued.data.model.name).toBe('Post');
    expect(enqueued.data.element).toMatchObject({ id: saved.id, title: 'Hub' });
    expect(Post.copyOf(enqueued.data.element, (d: any) => void (d.title = 'copy')).title).toBe('copy');
    expect(payloads.find((p) => p.event === 'outboxStatus')!.data).toEqual({ isEmpty: false });
  });

  it('sync-query events come once per online period; events without data carry none', () => {
    const translator = new AmplifyHubTranslator({ constructorOf: () => undefined, record: (_m, f) => f, outboxIsEmpty: () => true });
    const sync: DataStoreEvent[] = [
      { event: 'syncQueriesStarted', data: { models: ['Post'] } },
      { event: 'modelSynced', data: { model: 'Post', isFullSync: true, isDeltaSync: false, counts: { new: 1, updated: 0, deleted: 0 } } },
      { event: 'syncQueriesReady', data: {} },
    ];
    const run = (events: readonly DataStoreEvent[]) => events.flatMap((e) => translator.translate(e)).map((p) => p.event);
    expect(run([{ event: 'networkStatus', data: { active: true } }, ...sync, { event: 'ready', data: {} }])).toEqual([
      'storageSubscribed',
      'outboxStatus',
      'networkStatus',
      'syncQueriesStarted',
      'modelSynced',
      'syncQueriesReady',
      'ready',
    ]);
    // The socket connected and the engine ran a delta sync: Amplify reports nothing new.
    expect(run(sync)).toEqual([]);
    expect(translator.translate({ event: 'ready', data: {} })).toEqual([{ event: 'ready', data: undefined }]);
    // Offline and back: Amplify reruns its sync queries, and reports them again.
    expect(run([{ event: 'networkStatus', data: { active: false } }, { event: 'networkStatus', data: { active: true } }, ...sync])).toEqual([
      'networkStatus',
      'networkStatus',
      'syncQueriesStarted',
      'modelSynced',
      'syncQueriesReady',
    ]);
  });

  it("a conflict handler written from Amplify's docs gets the app's class, OpType and both records, and its copyOf answer goes back", async () => {
    const { Post } = initSchema<{ Post: Record<string, any> }>(schema);
    const local = new Post({ title: 'mine', rating: 1 });
    const remote = Post.copyOf(local, (d: any) => {
      d.title = 'theirs';
      d.rating = 5;
    });
    const calls: unknown[] = [];
    const handler = amplifyConflictHandler(({ modelConstructor, localModel, remoteModel, operation, attempts }) => {
      calls.push({ operation, attempts, isPost: modelConstructor === Post });
      if (modelConstructor === Post) return Post.copyOf(remoteModel, (d: any) => void (d.title = localModel.title));
      return DISCARD;
    }, (name) => (name === 'Post' ? Post : undefined));
    const answer = await handler({ modelName: 'Post', local, patch: { title: 'mine' }, remote, operation: 'update', attempts: 2 });
    expect(calls).toEqual([{ operation: 'UPDATE', attempts: 2, isPost: true }]);
    expect(answer).toMatchObject({ id: local.id, title: 'mine', rating: 5 });
    expect(await handler({ modelName: 'Post', local, patch: {}, remote, operation: 'create', attempts: 1 })).toMatchObject({ title: 'mine' });
    expect(calls.at(-1)).toMatchObject({ operation: 'INSERT' });
  });

  it("a refused mutation reaches errorHandler as Amplify's SyncError", () => {
    const error = syncErrorOf(
      { event: 'outboxMutationFailed', data: { model: 'Post', element: { id: 'p1', title: 'x' }, operation: 'update', error: { errorType: 'Unauthorized', message: 'Not Authorized to access updatePost' } } },
      (_m, f) => ({ ...f, materialized: true }),
    );
    expect(error).toMatchObject({
      message: 'Not Authorized to access updatePost',
      errorType: 'Unauthorized',
      model: 'Post',
      operation: 'Update',
      process: 'mutate',
      localModel: { id: 'p1', title: 'x', materialized: true },
      remoteModel: null,
    });
    expect(error!.recoverySuggestion).toMatch(/auth directives/);
    expect(error!.cause).toBeInstanceOf(Error);
    expect(syncErrorOf({ event: 'ready', data: {} }, (_m, f) => f)).toBeUndefined();
  });

  it("a model whose sync the server refused reaches errorHandler once, as Amplify's sync processor reports it", () => {
    const cause = new ModelSyncRefusedError('Note', 'Not Authorized to access syncNotes');
    const error = syncErrorOf({ event: 'modelSyncRefused', data: { model: 'Note', message: cause.message, error: cause } }, (_m, f) => f, () => 'syncNotes');
    expect(error).toMatchObject({ model: 'Note', operation: 'syncNotes', errorType: 'Unauthorized', process: 'sync', localModel: null, remoteModel: null, cause });
  });
});
