// An Amplify DataStore app, written the way Amplify's documentation shows (Amplify JS v6, models from
// `amplify codegen models`). The suite runs this file unmodified on aws-amplify, and on Offgrid with nothing
// changed but the two `aws-amplify/...` imports (they become `@offgrid/core/amplify`) and `./models` generated
// by `offgrid codegen`. Where the app needs the outside world (another device editing through the API, time)
// it gets it from `env`, so the file imports nothing else.
import { AuthModeStrategyType, DataStore, DISCARD, Predicates, SortDirection, syncExpression, type SyncError } from 'aws-amplify/datastore';
import { Hub } from 'aws-amplify/utils';
import { Announcement, Comment, Customer, Location, Note, Post, PostStatus, PostTags, Tag } from './models';

/** What the app gets from outside: another device of the same user (GraphQL over HTTPS), and time. */
export interface AppEnv {
  /** A GraphQL request to the backend, with its API key (public models) or as the signed-in user (owner and group models). */
  remote(query: string, as?: 'apiKey' | 'user'): Promise<{ data?: any; errors?: any[] }>;
  sleep(ms: number): Promise<void>;
}

type HubEvent = { event: string; data?: any };

/** Polls until `check` holds (the app waits for sync the way a UI would: by watching). */
async function eventually(env: AppEnv, what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await env.sleep(50);
  }
}

/** Runs the app against its backend and reports what a user would see, step by step, into `report`. */
export async function runBlogApp(env: AppEnv, report: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const hub: HubEvent[] = [];
  const errors: SyncError<any>[] = [];
  const conflicts: Array<{ isPost: boolean; operation: string; attempts: number; localTitle: unknown; remoteRating: unknown }> = [];

  // ---- configuration, as Amplify's docs show it ----
  Hub.listen('datastore', (hubData) => {
    const { event, data } = hubData.payload;
    hub.push({ event, data });
  });
  DataStore.configure({
    authModeStrategyType: AuthModeStrategyType.MULTI_AUTH,
    syncExpressions: [syncExpression(Post, () => (post) => post.rating.gt(0))],
    errorHandler: (error) => {
      errors.push(error);
    },
    conflictHandler: async ({ modelConstructor, localModel, remoteModel, operation, attempts }) => {
      // (Amplify's types call PersistentModelConstructor and the generated Post unrelated, hence `unknown`.)
      const isPost = (modelConstructor as unknown) === Post;
      conflicts.push({ isPost, operation, attempts, localTitle: localModel.title, remoteRating: remoteModel.rating });
      if (isPost) {
        const local = localModel as Post;
        return Post.copyOf(remoteModel as Post, (draft) => {
          draft.title = local.title;
          draft.status = local.status;
        });
      }
      return DISCARD;
    },
  });

  // Another device posted before this one started: one post the sync expression keeps out (rating 0).
  await env.remote('mutation { a: createPost(input: { title: "Seeded", status: PUBLISHED, rating: 3 }) { id } b: createPost(input: { title: "Hidden", status: PUBLISHED, rating: 0 }) { id } }');

  // ---- start: sync queries, Hub events ----
  const snapshots: Array<{ titles: string[]; isSynced: boolean }> = [];
  const live = DataStore.observeQuery(Post, (p) => p.status.eq(PostStatus.PUBLISHED), { sort: (s) => s.title(SortDirection.ASCENDING) }).subscribe(({ items, isSynced }) => {
    snapshots.push({ titles: items.map((p) => p.title), isSynced });
  });
  await DataStore.start();
  await eventually(env, 'the ready event', () => hub.some((e) => e.event === 'ready'));
  const untilReady = hub.slice(0, hub.findIndex((e) => e.event === 'ready') + 1);
  report.startEvents = [...new Set(untilReady.map((e) => e.event))].sort();
  report.syncQueriesReadyCount = untilReady.filter((e) => e.event === 'syncQueriesReady').length;
  const postSynced = hub.find((e) => e.event === 'modelSynced' && e.data.model === Post);
  report.modelSyncedPost = postSynced && { modelIsPost: postSynced.data.model === Post, modelName: postSynced.data.model.name, isFullSync: postSynced.data.isFullSync, counts: postSynced.data.counts };
  report.syncedTitles = (await DataStore.query(Post)).map((p) => p.title).sort();
  await eventually(env, 'a synced observeQuery snapshot', () => snapshots.some((s) => s.isSynced));
  report.syncedSnapshot = snapshots.find((s) => s.isSynced);

  // ---- saves, relations, a custom type ----
  const hello = await DataStore.save(
    new Post({ title: 'Hello', status: PostStatus.PUBLISHED, rating: 5, location: new Location({ lat: 59.91, lng: 10.75, label: 'Oslo' }) }),
  );
  const draft = await DataStore.save(new Post({ title: 'Draft', status: PostStatus.DRAFT, rating: 2 }));
  const first = await DataStore.save(new Comment({ content: 'First!', post: hello }));
  await DataStore.save(new Comment({ content: 'Second', post: hello }));
  await DataStore.save(new Comment({ content: 'Meh', post: draft }));
  const news = await DataStore.save(new Tag({ label: 'news' }));
  const tech = await DataStore.save(new Tag({ label: 'tech' }));
  await DataStore.save(new PostTags({ post: hello, tag: news }));
  await DataStore.save(new PostTags({ post: hello, tag: tech }));
  await DataStore.save(new PostTags({ post: draft, tag: tech }));
  const enqueued = hub.filter((e) => e.event === 'outboxMutationEnqueued');
  report.enqueuedModels = [...new Set(enqueued.map((e) => e.data.model.name))];
  report.enqueuedModelIsClass = enqueued[0]?.data.model === Post;
  report.enqueuedElementTitle = enqueued[0]?.data.element.title;

  // ---- copyOf, and observe: one record's messages ----
  const messages: string[] = [];
  const watch = DataStore.observe(draft).subscribe((msg) => messages.push(`${msg.opType} ${msg.element.title}`));
  const renamed = await DataStore.save(
    Post.copyOf(draft, (updated) => {
      updated.title = 'Draft v2';
    }),
  );
  report.renamed = renamed.title;

  // ---- queries: by id, predicates (and/or/not, across relations), sort and pages ----
  report.byId = (await DataStore.query(Post, hello.id))?.title;
  report.location = (await DataStore.query(Post, hello.id))?.location;
  report.andOrNot = {
    and: (await DataStore.query(Post, (p) => p.and((p) => [p.rating.gt(1), p.status.eq(PostStatus.PUBLISHED)]))).map((p) => p.title).sort(),
    or: (await DataStore.query(Post, (p) => p.or((p) => [p.title.eq('Hello'), p.title.beginsWith('Draft')]))).map((p) => p.title).sort(),
    not: (await DataStore.query(Post, (p) => p.not((p) => p.status.eq(PostStatus.PUBLISHED)))).map((p) => p.title).sort(),
  };
  report.acrossRelations = {
    commentsOfHello: (await DataStore.query(Comment, (c) => c.post.title.eq('Hello'))).map((c) => c.content).sort(),
    postsWithFirstComment: (await DataStore.query(Post, (p) => p.comments.content.beginsWith('Fir'))).map((p) => p.title),
    postsTaggedTech: (await DataStore.query(Post, (p) => p.tags.tag.label.eq('tech'))).map((p) => p.title).sort(),
  };
  report.sortAndPage = {
    all: (await DataStore.query(Post, Predicates.ALL, { sort: (s) => s.rating(SortDirection.DESCENDING) })).map((p) => p.title),
    page0: (await DataStore.query(Post, Predicates.ALL, { sort: (s) => s.rating(SortDirection.DESCENDING), page: 0, limit: 2 })).map((p) => p.title),
    page1: (await DataStore.query(Post, Predicates.ALL, { sort: (s) => s.rating(SortDirection.DESCENDING), page: 1, limit: 2 })).map((p) => p.title),
  };

  // ---- lazy relations ----
  report.commentPost = (await first.post)?.title;
  report.helloComments = (await hello.comments.toArray()).map((c) => c.content).sort();
  const labels: string[] = [];
  for await (const link of hello.tags) labels.push((await link.tag).label);
  report.helloTags = labels.sort();

  // ---- the owner model and the group models ----
  await DataStore.save(new Note({ body: 'Only mine' }));
  await DataStore.save(new Customer({ email: 'ada@example.com', accountId: 'A1', name: 'Ada', city: 'Oslo' }));
  await DataStore.save(new Customer({ email: 'ada@example.com', accountId: 'A2', name: 'Ada (work)', city: 'Bergen' }));
  await DataStore.save(new Customer({ email: 'bo@example.com', accountId: 'A1', name: 'Bo', city: 'Oslo' }));
  report.customerByKey = (await DataStore.query(Customer, { email: 'ada@example.com', accountId: 'A2' }))?.name;
  report.customersInOslo = (await DataStore.query(Customer, (c) => c.city.eq('Oslo'), { sort: (s) => s.name(SortDirection.DESCENDING) })).map((c) => c.name);

  // Everything reaches the server with the right credential per model.
  await eventually(env, 'the outbox to drain', () => hub.filter((e) => e.event === 'outboxMutationProcessed').length >= 14);
  const processed = hub.find((e) => e.event === 'outboxMutationProcessed');
  report.processedModelIsClass = processed?.data.model === Post || processed?.data.model === Comment || processed?.data.model === Tag;
  const server = await env.remote('{ listPosts(limit: 100) { items { title } } listPostTags(limit: 100) { items { id } } }');
  const mine = await env.remote('{ listNotes(limit: 100) { items { body } } listCustomers(limit: 100) { items { email accountId name } } }', 'user');
  report.serverPosts = server.data.listPosts.items.map((p: { title: string }) => p.title).sort();
  report.serverPostTags = server.data.listPostTags.items.length;
  report.serverNotes = mine.data.listNotes.items.map((n: { body: string }) => n.body);
  report.serverCustomers = mine.data.listCustomers.items.map((c: { email: string; accountId: string }) => `${c.email}/${c.accountId}`).sort();
  await env.sleep(500);
  watch.unsubscribe();
  report.observeRecord = messages;

  // ---- observe(Model, id): how many messages one save gives ----
  const counted = new Post({ title: 'Counted', status: PostStatus.PUBLISHED, rating: 4 });
  const countedMessages: string[] = [];
  const countSub = DataStore.observe(Post, counted.id).subscribe((msg) => countedMessages.push(msg.opType));
  const before = hub.filter((e) => e.event === 'outboxMutationProcessed').length;
  await DataStore.save(counted);
  await eventually(env, 'the counted post to reach the server', () => hub.filter((e) => e.event === 'outboxMutationProcessed').length > before);
  await env.sleep(1000);
  countSub.unsubscribe();
  report.observeOneSave = countedMessages;

  // ---- live changes from another device, filtered by the sync expression ----
  await env.remote('mutation { a: createPost(input: { title: "Live shown", status: PUBLISHED, rating: 4 }) { id } b: createPost(input: { title: "Live hidden", status: PUBLISHED, rating: 0 }) { id } }');
  await eventually(env, 'the live post', async () => (await DataStore.query(Post, (p) => p.title.eq('Live shown'))).length === 1);
  await env.sleep(1000);
  report.liveHidden = (await DataStore.query(Post, (p) => p.title.eq('Live hidden'))).length;
  await eventually(env, 'observeQuery to show the live post', () => snapshots.at(-1)?.titles.includes('Live shown') === true);
  report.lastSnapshot = snapshots.at(-1)?.titles;

  // ---- a conflict: edited here while another device changed the same post ----
  const contested = await DataStore.save(new Post({ title: 'Contested', status: PostStatus.PUBLISHED, rating: 1 }));
  await eventually(env, 'the contested post to sync', () => hub.some((e) => e.event === 'outboxMutationProcessed' && e.data.element.id === contested.id));
  // Read now (version 1), edited later: meanwhile another device changes the same post.
  const original = await DataStore.query(Post, contested.id);
  await DataStore.stop();
  const elsewhere = await env.remote(`mutation { updatePost(input: { id: "${contested.id}", rating: 9, _version: 1 }) { _version } }`);
  report.remoteEdit = elsewhere.data?.updatePost;
  await DataStore.save(
    Post.copyOf(original!, (updated) => {
      updated.title = 'Contested, mine';
      updated.status = PostStatus.DRAFT;
    }),
  );
  await DataStore.start();
  await eventually(env, 'the conflict to be resolved on the server', async () => {
    const r = await env.remote(`{ getPost(id: "${contested.id}") { title rating } }`);
    return r.data?.getPost?.title === 'Contested, mine';
  });
  report.conflicts = conflicts;
  report.resolved = (await env.remote(`{ getPost(id: "${contested.id}") { title status rating _version } }`)).data.getPost;

  // ---- errorHandler: a write the user's rules do not allow (only Editors post announcements) ----
  await DataStore.save(new Announcement({ text: 'Not mine to post' }));
  await eventually(env, 'the errorHandler call', () => errors.some((e) => e.model === 'Announcement' || (e.localModel && 'text' in e.localModel)));
  report.errors = errors.map((e) => ({ model: e.model, process: e.process, errorType: e.errorType, operation: e.operation, message: e.message, hasRecoverySuggestion: typeof e.recoverySuggestion === 'string' }));

  // ---- deletes: one record, and by predicate (a post with its comments and tag links) ----
  await DataStore.delete(first);
  const deleted = await DataStore.delete(Post, (p) => p.title.eq('Hello'));
  report.deletedByPredicate = deleted.map((p) => p.title);
  report.commentsLeft = (await DataStore.query(Comment)).map((c) => c.content).sort();
  report.postTagsLeft = (await DataStore.query(PostTags)).length;
  await eventually(env, 'the deletes to reach the server', async () => {
    const r = await env.remote('{ syncPosts(limit: 1000) { items { title _deleted } } }');
    return r.data.syncPosts.items.some((p: { title: string; _deleted: boolean | null }) => p.title === 'Hello' && p._deleted === true);
  });

  // ---- stop, clear, start: the local store is rebuilt from the server ----
  await DataStore.stop();
  await DataStore.clear();
  await DataStore.start();
  await eventually(env, 'the posts to come back', async () => (await DataStore.query(Post)).length >= 5);
  report.afterRestart = (await DataStore.query(Post)).map((p) => p.title).sort();
  live.unsubscribe();
  return report;
}
