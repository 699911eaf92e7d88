/**
 * An Amplify DataStore app, ported to Offgrid: only the imports and the configuration change.
 *
 * The app as it runs on Amplify (Amplify JS v6, Gen 1 `aws-exports`, models from `amplify codegen models`):
 *
 * ```ts
 * import { Amplify } from 'aws-amplify';
 * import { Hub } from 'aws-amplify/utils';
 * import { DataStore, Predicates, SortDirection, syncExpression } from 'aws-amplify/datastore';
 * import awsconfig from './aws-exports';
 * import { Comment, Post, PostStatus } from './models';
 *
 * Amplify.configure(awsconfig); // Cognito User Pools sign-in; AppSync endpoint
 * DataStore.configure({
 *   syncExpressions: [syncExpression(Post, () => (p) => p.rating.gt(0))],
 *   errorHandler: (error) => reportError(error),
 * });
 * ```
 *
 * The same app on Offgrid (below): `@offgrid/core/amplify` for the imports, `initSchema(schema)` for the
 * `./models` module (or the module `offgrid codegen --target amplify` writes), and `sync: { url, auth }`
 * instead of `Amplify.configure(awsconfig)`. Everything under "the app" is unchanged Amplify code, and runs
 * against a real Offgrid server with the Amplify schema's `@auth(rules: [{ allow: owner }])` enforced.
 */
import { createHmac } from 'node:crypto';
import { DataStore, Hub, initSchema, Predicates, SortDirection, syncExpression, type SyncError } from '@offgrid/core/amplify';
import { parseSchema } from '@offgrid/schema';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_KEY, DATABASES, eventually, startServer, type RunningServer } from './harness';

// ---- the models (what `amplify codegen models` writes as ./models; the schema is Amplify's, unchanged) ----

const AMPLIFY_SCHEMA = /* GraphQL */ `
  enum PostStatus {
    ACTIVE
    INACTIVE
  }
  type Post @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    title: String!
    status: PostStatus!
    rating: Int
    comments: [Comment] @hasMany
  }
  type Comment @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    content: String!
    post: Post @belongsTo
  }
`;
const schema = parseSchema(AMPLIFY_SCHEMA);
const { Post, Comment } = initSchema<{ Post: Record<string, any>; Comment: Record<string, any> }>(schema);
const PostStatus = { ACTIVE: 'ACTIVE', INACTIVE: 'INACTIVE' } as const;

// ---- configuration (Amplify: `Amplify.configure(awsconfig)` and Cognito sign-in) ----

const JWT_SECRET = 'amplify-port-test-secret-0123456789';

/** An HS256 JWT for `sub`, as an identity provider would issue it (`offgrid serve --jwt-secret`). */
function signJwt(sub: string): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, username: sub, iat: now, exp: now + 3600 })}`;
  return `${body}.${createHmac('sha256', JWT_SECRET).update(body).digest('base64url')}`;
}

const reportedErrors: SyncError[] = [];

function configureFor(server: RunningServer, user: string): void {
  DataStore.configure({
    sync: { url: server.graphqlUrl, auth: { token: () => signJwt(user) }, webSocketImpl: WebSocket },
    syncExpressions: [syncExpression(Post, () => (p: any) => p.rating.gt(0))],
    errorHandler: (error) => reportedErrors.push(error),
  });
}

// ---- the app: Amplify's documented API, unchanged ----

type HubEvent = { event: string; data?: any };
const hubEvents: HubEvent[] = [];
let stopListening: (() => void) | undefined;

function listenToDataStore(): void {
  stopListening = Hub.listen('datastore', (hubData) => {
    const { event, data } = hubData.payload;
    hubEvents.push({ event, data });
  });
}

async function createPost(title: string, rating: number) {
  return DataStore.save(new Post({ title, rating, status: PostStatus.ACTIVE }));
}

async function addComment(post: Record<string, any>, content: string) {
  return DataStore.save(new Comment({ content, post }));
}

async function topPosts(limit = 10) {
  return DataStore.query(Post, Predicates.ALL, { sort: (s: any) => s.rating(SortDirection.DESCENDING), limit });
}

async function renamePost(id: string, title: string) {
  const original = await DataStore.query(Post, id);
  return DataStore.save(
    Post.copyOf(original!, (updated: any) => {
      updated.title = title;
    }),
  );
}

async function archivePost(id: string) {
  const original = await DataStore.query(Post, id);
  return DataStore.save(
    Post.copyOf(original!, (updated: any) => {
      updated.status = PostStatus.INACTIVE;
    }),
  );
}

async function commentsOf(post: Record<string, any>) {
  return DataStore.query(Comment, (c: any) => c.post.id.eq(post.id));
}

async function removeComment(comment: Record<string, any>) {
  return DataStore.delete(comment);
}

function watchActivePosts(onTitles: (titles: string[], isSynced: boolean) => void) {
  return DataStore.observeQuery(Post, (p: any) => p.status.eq(PostStatus.ACTIVE), {
    sort: (s: any) => s.title(SortDirection.ASCENDING),
  }).subscribe(({ items, isSynced }) => onTitles(items.map((p) => p.title), isSynced));
}

function watchPostChanges(onChange: (opType: string, title: string) => void) {
  return DataStore.observe(Post).subscribe((msg) => onChange(msg.opType, msg.element.title));
}

// ---- the test: the app's behaviour against a real server ----

/** What another device of the same user (or an admin tool) does, straight through the GraphQL API. */
async function asUser(server: RunningServer, user: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: signJwt(user) }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

const waitForHub = (event: string, after = 0) => eventually(() => hubEvents.slice(after).some((e) => e.event === event), 15_000, `the "${event}" Hub event`);

describe.each(DATABASES)('an Amplify app ported to @offgrid/core/amplify, against offgrid serve on %s', (kind) => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(kind, { schema, auth: { apiKeys: [API_KEY], jwt: { secret: JWT_SECRET } }, conflicts: {} });
  });
  afterEach(async () => {
    stopListening?.();
    await DataStore.clear();
    hubEvents.length = 0;
    reportedErrors.length = 0;
  });
  afterAll(async () => {
    await server.close();
  });

  it('saves, queries, relates, updates, observes and deletes, with Amplify\'s Hub events and owner auth on the server', async () => {
    // Posted earlier from another device: one the sync expression keeps out (rating 0), one it lets in.
    const seeded = await asUser(server, 'alice', 'mutation { a: createPost(input: { id: "p-old", title: "Older post", status: ACTIVE, rating: 3 }) { id } b: createPost(input: { id: "p-zero", title: "Unrated", status: ACTIVE, rating: 0 }) { id } }');
    expect(seeded.errors).toBeUndefined();

    configureFor(server, 'alice');
    listenToDataStore();
    const titles: string[][] = [];
    const live = watchActivePosts((t) => titles.push(t));
    const changes: string[] = [];
    const observed = watchPostChanges((opType, title) => changes.push(`${opType} ${title}`));
    await DataStore.start();
    await waitForHub('syncQueriesReady');
    await waitForHub('ready', hubEvents.findIndex((e) => e.event === 'syncQueriesReady'));
    const names = hubEvents.map((e) => e.event);
    for (const event of ['syncQueriesStarted', 'modelSynced', 'syncQueriesReady', 'subscriptionsEstablished', 'networkStatus', 'ready']) expect(names).toContain(event);
    expect(hubEvents.find((e) => e.event === 'modelSynced' && e.data.model === Post)?.data).toMatchObject({ isFullSync: true, counts: { new: 1 } });
    expect(names.filter((n) => n === 'syncQueriesReady')).toHaveLength(1);
    expect(hubEvents.find((e) => e.event === 'networkStatus')?.data).toEqual({ active: true });
    // As in Amplify, `ready` follows the sync queries (Offgrid also emits one earlier, when local storage opens).
    expect(names.lastIndexOf('ready')).toBeGreaterThan(names.indexOf('syncQueriesReady'));

    // Selective sync: the rating-0 post stayed on the server.
    expect((await topPosts()).map((p) => p.title)).toEqual(['Older post']);

    const post = await createPost('Hello from Offgrid', 5);
    const comment = await addComment(post, 'First!');
    await addComment(post, 'Second');
    expect(hubEvents.filter((e) => e.event === 'outboxMutationEnqueued').map((e) => e.data.model)).toEqual([Post, Comment, Comment]);
    await eventually(() => hubEvents.some((e) => e.event === 'outboxStatus' && e.data.isEmpty === true) && hubEvents.filter((e) => e.event === 'outboxMutationProcessed').length === 3, 15_000, 'the outbox to drain');

    // On the server, the records belong to the signed-in user (the owner field was filled from the token's sub).
    const onServer = await asUser(server, 'alice', 'query($id: ID!) { getPost(id: $id) { title owner _version } }', { id: post.id });
    expect(onServer.data.getPost).toEqual({ title: 'Hello from Offgrid', owner: 'alice', _version: 1 });

    // Queries, sort and limit, and relations, as Amplify documents them.
    expect((await topPosts()).map((p) => p.title)).toEqual(['Hello from Offgrid', 'Older post']);
    expect((await topPosts(1)).map((p) => p.title)).toEqual(['Hello from Offgrid']);
    expect((await commentsOf(post)).map((c) => c.content).sort()).toEqual(['First!', 'Second']);
    expect((await comment.post).title).toBe('Hello from Offgrid');
    const saved = await DataStore.query(Post, post.id);
    expect((await saved!.comments.toArray()).length).toBe(2);

    // Updates go up with the version they were made from.
    await renamePost(post.id, 'Hello again');
    await eventually(async () => (await asUser(server, 'alice', `{ getPost(id: "${post.id}") { title _version } }`)).data.getPost._version === 2, 15_000, 'the rename to reach the server');
    expect(changes).toContain('UPDATE Hello again');

    // A change made on another device arrives live: observe() and observeQuery() see it.
    const remote = await asUser(server, 'alice', 'mutation { updatePost(input: { id: "p-old", title: "Older post, edited elsewhere", _version: 1 }) { _version } }');
    expect(remote.data.updatePost._version).toBe(2);
    await eventually(() => titles.at(-1)?.includes('Older post, edited elsewhere'), 15_000, 'the remote edit to reach observeQuery');
    expect(changes).toContain('UPDATE Older post, edited elsewhere');

    // The sync expression holds for live changes too: a post outside it never lands locally, and one edited
    // out of it elsewhere leaves the local store (the server keeps both).
    await asUser(server, 'alice', 'mutation { a: createPost(input: { id: "p-live-zero", title: "Live unrated", status: ACTIVE, rating: 0 }) { id } b: createPost(input: { id: "p-live-rated", title: "Live rated", status: ACTIVE, rating: 2 }) { id } }');
    await eventually(async () => (await DataStore.query(Post, 'p-live-rated')) !== undefined, 15_000, 'the rated live post');
    expect(await DataStore.query(Post, 'p-live-zero')).toBeUndefined();
    await asUser(server, 'alice', 'mutation { updatePost(input: { id: "p-live-rated", rating: 0, _version: 1 }) { _version } }');
    await eventually(async () => (await DataStore.query(Post, 'p-live-rated')) === undefined, 15_000, 'the post edited out of the sync expression to leave');
    await asUser(server, 'alice', 'mutation { a: deletePost(input: { id: "p-live-zero", _version: 1 }) { id } b: deletePost(input: { id: "p-live-rated", _version: 2 }) { id } }');

    // observeQuery keeps its predicate: archiving drops a post from the active list.
    await archivePost('p-old');
    await eventually(() => titles.at(-1)?.join() === 'Hello again', 15_000, 'the archived post to leave the list');

    // Deletes become tombstones on the server.
    await removeComment(comment);
    await eventually(async () => {
      const r = await asUser(server, 'alice', 'query { syncComments(limit: 100) { items { id _deleted } } }');
      return r.data.syncComments.items.find((c: any) => c.id === comment.id)?._deleted === true;
    }, 15_000, 'the delete to reach the server');
    expect((await commentsOf(post)).map((c) => c.content)).toEqual(['Second']);
    expect(reportedErrors).toEqual([]);
    live.unsubscribe();
    observed.unsubscribe();
  });

  it('owner auth: another user syncs none of these records, and cannot take them over', async () => {
    configureFor(server, 'carol');
    listenToDataStore();
    await DataStore.start();
    await waitForHub('syncQueriesReady');
    const carolPost = await createPost('Carol only', 4);
    await eventually(() => hubEvents.some((e) => e.event === 'outboxMutationProcessed'), 15_000, 'carol\'s post to reach the server');
    await DataStore.clear();

    // Dave signs in on the same device: DataStore.clear() on sign-out, as Amplify recommends.
    hubEvents.length = 0;
    configureFor(server, 'dave');
    await DataStore.start();
    await waitForHub('syncQueriesReady');
    expect(await topPosts()).toEqual([]);
    const davePost = await createPost('Dave only', 2);
    await eventually(() => hubEvents.some((e) => e.event === 'outboxMutationProcessed'), 15_000, 'dave\'s post to reach the server');
    const davesView = await asUser(server, 'dave', 'query { syncPosts(limit: 100) { items { id owner } } }');
    expect(davesView.data.syncPosts.items).toEqual([{ id: davePost.id, owner: 'dave' }]);
    // Dave updating Carol's post through the API is refused as if it did not exist: he may not read it.
    const takeover = await asUser(server, 'dave', `mutation { updatePost(input: { id: "${carolPost.id}", title: "mine now", _version: 1 }) { id } }`);
    expect(takeover.errors?.[0]).toMatchObject({ errorType: 'ConditionalCheckFailedException', data: null });

    // Reassigning the owner from the app is refused by the server and reported to the errorHandler.
    await DataStore.save(
      Post.copyOf(davePost, (updated: any) => {
        updated.owner = 'carol';
      }),
    );
    await eventually(() => reportedErrors.length > 0, 15_000, 'the errorHandler to be called');
    expect(reportedErrors[0]).toMatchObject({ operation: 'Update', process: 'mutate', model: 'Post' });
    expect(reportedErrors[0]!.message).toMatch(/owner/);
    await DataStore.clear();

    // Carol again: her post, not Dave's.
    hubEvents.length = 0;
    configureFor(server, 'carol');
    await DataStore.start();
    await waitForHub('syncQueriesReady');
    expect((await topPosts()).map((p) => p.title)).toEqual(['Carol only']);
  });
});
