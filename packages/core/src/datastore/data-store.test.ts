import { describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { take, toArray } from 'rxjs/operators';
import { ConditionFailedError, PredicateError, ValidationError } from '../errors';
import type { DataStoreEvent } from '../events/datastore-event';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import type { StorageAdapter } from '../storage/storage-adapter';
import { todoSchema, type TodoModels } from '../test-fixtures/todo-schema';
import { createDataStore } from './data-store';

function setup(storage = new MemoryAdapter()) {
  const store = createDataStore<TodoModels>({ schema: todoSchema, storage });
  return { store, storage, ...store.models };
}

describe('save and query', () => {
  it('saves, queries by id and by predicate, with sort, limit and page', async () => {
    const { store, Todo } = setup();
    const a = await store.save(new Todo({ title: 'b', done: false, priority: 2 }));
    await store.save(new Todo({ title: 'a', done: true, priority: 1 }));
    await store.save(new Todo({ title: 'c', done: false, priority: 3 }));
    expect(Object.isFrozen(a)).toBe(true);
    expect((await store.query(Todo, a.id as string))?.title).toBe('b');
    expect(await store.query(Todo, 'missing')).toBeUndefined();
    const open = await store.query(Todo, (p) => p.done.eq(false), { sort: (s) => s.priority('DESCENDING') });
    expect(open.map((t) => t.title)).toEqual(['c', 'b']);
    const page = await store.query(Todo, undefined, { sort: (s) => s.title('ASCENDING'), limit: 2, page: 1 });
    expect(page.map((t) => t.title)).toEqual(['c']);
  });

  it('sets createdAt and updatedAt locally and keeps createdAt on update', async () => {
    let t = 0;
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage: new MemoryAdapter(), now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, t++)) });
    const { Todo } = store.models;
    const a = await store.save(new Todo({ title: 'x', done: false }));
    const b = await store.save(Todo.copyOf(a, (d) => { d.done = true; }));
    expect(a.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(b.createdAt).toBe(a.createdAt);
    expect(b.updatedAt! > a.updatedAt!).toBe(true);
  });

  it('queries composite keys by key object and rejects a bare string for them', async () => {
    const { store, Reading } = setup();
    await store.save(new Reading({ sensorId: 's1', takenAt: '2026-01-01T00:00:00Z', value: 1.5 }));
    await store.save(new Reading({ sensorId: 's1', takenAt: '2026-01-02T00:00:00Z', value: 2.5 }));
    const r = await store.query(Reading, { sensorId: 's1', takenAt: '2026-01-02T00:00:00Z' });
    expect(r?.value).toBe(2.5);
    await expect(store.query(Reading, 's1')).rejects.toThrow(/composite key.*sensorId, takenAt/);
    const deleted = await store.delete(Reading, { sensorId: 's1', takenAt: '2026-01-01T00:00:00Z' });
    expect(deleted).toHaveLength(1);
    expect(await store.query(Reading)).toHaveLength(1);
  });

  it('saveMany writes all records in one transaction, or none when one is bad', async () => {
    const { store, Todo } = setup();
    await store.saveMany([new Todo({ title: 'a', done: false }), new Todo({ title: 'b', done: false })]);
    expect(await store.query(Todo)).toHaveLength(2);
    const good = new Todo({ title: 'c', done: false });
    await expect(store.saveMany([good, { title: 'plain' } as never])).rejects.toThrow(ValidationError);
    expect(await store.query(Todo)).toHaveLength(2);
    expect(await store.pendingMutations()).toHaveLength(2);
  });
});

describe('validation: nothing is written', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['wrong type', { title: 42, done: false }, /Todo\.title: expected a string, got number 42/],
    ['missing required', { done: false }, /Todo\.title: required but missing/],
    ['unknown field', { title: 'x', done: false, colour: 'red' }, /Todo\.colour: unknown field; remove it/],
    ['bad enum', { title: 'x', done: false, level: 'URGENT' }, /Todo\.level: expected one of Priority \(LOW, MEDIUM, HIGH\)/],
    ['bad AWSDate', { title: 'x', done: false, due: '2026-02-30' }, /Todo\.due: expected an AWSDate/],
    ['bad AWSJSON', { title: 'x', done: false, meta: '{oops' }, /Todo\.meta: expected a JSON string/],
    ['bad AWSEmail', { title: 'x', done: false, email: 'nobody' }, /Todo\.email: expected an email/],
    ['bad AWSURL', { title: 'x', done: false, site: 'example.com' }, /Todo\.site: expected an absolute URL/],
    ['float for Int', { title: 'x', done: false, priority: 1.5 }, /Todo\.priority: expected an integer/],
    ['null in required list items', { title: 'x', done: false, tags: ['a', null] }, /Todo\.tags\[1\]: null, but the list items are required/],
    ['embedded type field', { title: 'x', done: false, address: { city: 'Oslo' } }, /Todo\.address\.street: required but missing/],
    ['embedded unknown field', { title: 'x', done: false, address: { street: 's', planet: 'Mars' } }, /Todo\.address\.planet: not a field of Address/],
    ['server-managed field', { title: 'x', done: false, _version: 3 }, /Todo\._version: is managed by the store and server/],
    ['timestamp', { title: 'x', done: false, createdAt: '2026-01-01T00:00:00Z' }, /Todo\.createdAt: is managed/],
  ];
  it.each(cases)('%s', async (_, init, message) => {
    const { store, Todo } = setup();
    expect(() => new Todo(init)).toThrow(message);
    expect(await store.query(Todo)).toHaveLength(0);
    expect(await store.pendingMutations()).toHaveLength(0);
  });

  it('a copyOf that breaks a field is rejected and the stored record is unchanged', async () => {
    const { store, Todo } = setup();
    const t = await store.save(new Todo({ title: 'x', done: false }));
    expect(() => Todo.copyOf(t, (d) => { (d as Record<string, unknown>).done = 'yes'; })).toThrow(/Todo\.done: expected true or false/);
    expect(() => Todo.copyOf(t, (d) => { d.id = 'other'; })).toThrow(/Todo\.id: is part of the primary key/);
    expect((await store.query(Todo, t.id as string))?.done).toBe(false);
  });

  it('save refuses plain objects with a message that says what to pass', async () => {
    const { store } = setup();
    await expect(store.save({ title: 'x' })).rejects.toThrow(/needs a record made with a model constructor/);
  });

  it('bad predicates say what the model offers', async () => {
    const { store, Todo } = setup();
    await expect(store.query(Todo, (p: any) => p.titel.eq('x'))).rejects.toThrow(PredicateError);
    await expect(store.query(Todo, (p: any) => p.titel.eq('x'))).rejects.toThrow(/Todo: has no field "titel"/);
    await expect(store.query(Todo, (p: any) => p.done.gt(true))).rejects.toThrow(/done has no operator "gt".*eq, ne, in, notIn/);
    await expect(store.query(Todo, (p: any) => p.priority.eq('high'))).rejects.toThrow(/priority\.eq\(\): needs a number/);
    await expect(store.query(Todo, (p: any) => p.tags.eq('x'))).rejects.toThrow(/a list field offers: contains, notContains/);
    await expect(store.query(Todo, undefined, { sort: (s: any) => s.tags('ASCENDING') })).rejects.toThrow(/cannot sort by "tags"/);
  });
});

describe('copyOf and the outbox', () => {
  it('copyOf tracks changed fields and only those reach the outbox', async () => {
    const { store, Todo } = setup();
    const t = await store.save(new Todo({ title: 'x', done: false, priority: 1 }));
    // Pretend the server acknowledged the create so the next save is an update.
    const seq = (await store.pendingMutations())[0]!.seq;
    await (store as unknown as { storage: StorageAdapter }).storage.write((tx) => tx.deleteOutbox(seq));
    const changed = Todo.copyOf(t, (d) => { d.priority = 2; });
    await store.save(changed);
    const [entry] = await store.pendingMutations();
    expect(entry).toMatchObject({ operation: 'update', changedFields: ['priority'], model: 'Todo', key: t.id });
    expect(entry!.record.title).toBe('x');
  });

  it('two copies made from one snapshot keep both edits (fields, not whole records)', async () => {
    const { store, Todo } = setup();
    const t = await store.save(new Todo({ title: 'x', done: false, priority: 1 }));
    await store.save(Todo.copyOf(t, (d) => { d.priority = 5; }));
    await store.save(Todo.copyOf(t, (d) => { d.title = 'y'; }));
    const stored = await store.query(Todo, t.id as string);
    expect(stored).toMatchObject({ title: 'y', priority: 5 });
  });

  it('merges: create+update -> create; update+update -> update; create+delete -> nothing; update+delete -> delete', async () => {
    const { store, storage, Todo } = setup();
    const a = await store.save(new Todo({ title: 'a', done: false }));
    await store.save(Todo.copyOf(a, (d) => { d.done = true; }));
    let pending = await store.pendingMutations();
    expect(pending.map((e) => e.operation)).toEqual(['create']);
    expect(pending[0]!.record.done).toBe(true);

    await store.delete(a);
    expect(await store.pendingMutations()).toEqual([]);

    // An acknowledged record (version 3) gets update+update merged, then update+delete -> delete.
    await storage.write(async (tx) => {
      await tx.put('Todo', 'b', { id: 'b', title: 'b', done: false, _version: 3, _lastChangedAt: 1, _deleted: false });
    });
    const b = (await store.query(Todo, 'b'))!;
    const b1 = await store.save(Todo.copyOf(b, (d) => { d.title = 'b1'; }));
    await store.save(Todo.copyOf(b1, (d) => { d.priority = 4; }));
    pending = await store.pendingMutations();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ operation: 'update', baseVersion: 3 });
    expect(new Set(pending[0]!.changedFields)).toEqual(new Set(['title', 'priority']));
    await store.delete(Todo, 'b');
    pending = await store.pendingMutations();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ operation: 'delete', baseVersion: 3 });
  });

  it('never merges into an entry that is being sent', async () => {
    const { store, storage, Todo } = setup();
    const a = await store.save(new Todo({ title: 'a', done: false }));
    const [entry] = await store.pendingMutations();
    await storage.write(async (tx) => { await tx.putOutbox({ ...entry!, status: 'inflight' }); });
    await store.save(Todo.copyOf(a, (d) => { d.title = 'a2'; }));
    const pending = await store.pendingMutations();
    expect(pending.map((e) => [e.operation, e.status])).toEqual([['create', 'inflight'], ['update', 'pending']]);
  });

  it('the outbox and records survive a restart, in order', async () => {
    const storage = new MemoryAdapter();
    const first = setup(storage);
    const a = await first.store.save(new first.Todo({ title: 'a', done: false }));
    await first.store.save(new first.Todo({ title: 'b', done: false }));
    await first.store.delete(a);
    await first.store.save(new first.Todo({ title: 'c', done: false }));
    const before = await first.store.pendingMutations();
    const second = setup(storage);
    const after = await second.store.pendingMutations();
    expect(after).toEqual(before);
    expect(after.map((e) => e.record.title)).toEqual(['b', 'c']);
    expect(after[0]!.seq).toBeLessThan(after[1]!.seq);
  });

  it('emits outboxMutationEnqueued and outboxStatus with Amplify names', async () => {
    const { store, Todo } = setup();
    const events: DataStoreEvent[] = [];
    store.events$.subscribe((e) => events.push(e));
    const a = await store.save(new Todo({ title: 'a', done: false }));
    await store.delete(a);
    const names = events.map((e) => e.event);
    expect(names).toEqual(['ready', 'outboxMutationEnqueued', 'outboxStatus', 'outboxStatus']);
    expect(events[1]).toMatchObject({ data: { model: 'Todo', operation: 'create' } });
    expect(events[2]).toMatchObject({ data: { isEmpty: false, pending: 1 } });
    expect(events[3]).toMatchObject({ data: { isEmpty: true, pending: 0 } });
  });
});

describe('conditions', () => {
  it('a failing save condition writes nothing', async () => {
    const { store, Todo } = setup();
    const t = await store.save(new Todo({ title: 'x', done: false, priority: 1 }));
    const pendingBefore = await store.pendingMutations();
    await expect(store.save(Todo.copyOf(t, (d) => { d.title = 'y'; }), (p) => p.priority.gt(5))).rejects.toThrow(ConditionFailedError);
    expect((await store.query(Todo, t.id as string))?.title).toBe('x');
    expect(await store.pendingMutations()).toEqual(pendingBefore);
    await store.save(Todo.copyOf(t, (d) => { d.title = 'z'; }), (p) => p.priority.eq(1));
    expect((await store.query(Todo, t.id as string))?.title).toBe('z');
  });

  it('delete with a condition, and delete by predicate', async () => {
    const { store, Todo } = setup();
    const t = await store.save(new Todo({ title: 'x', done: false }));
    await expect(store.delete(t, (p) => p.done.eq(true))).rejects.toThrow(ConditionFailedError);
    expect(await store.query(Todo)).toHaveLength(1);
    await store.save(new Todo({ title: 'y', done: true }));
    await store.save(new Todo({ title: 'z', done: true }));
    const deleted = await store.delete(Todo, (p) => p.done.eq(true));
    expect(deleted.map((d) => d.title).sort()).toEqual(['y', 'z']);
    expect((await store.query(Todo)).map((d) => d.title)).toEqual(['x']);
  });
});

describe('relations', () => {
  async function blog() {
    const s = setup();
    const { store, Blog, Post, Comment, Tag, PostTags } = s;
    const tech = await store.save(new Blog({ name: 'Tech' }));
    const food = await store.save(new Blog({ name: 'Food' }));
    const p1 = await store.save(new Post({ title: 'TS', rating: 5, blog: tech }));
    const p2 = await store.save(new Post({ title: 'Bread', rating: 3, blogID: food.id }));
    await store.save(new Comment({ content: 'nice', post: p1 }));
    await store.save(new Comment({ content: 'meh', post: p2 }));
    const t1 = await store.save(new Tag({ label: 'code' }));
    await store.save(new PostTags({ post: p1, tag: t1 }));
    return { ...s, tech, food, p1, p2, t1 };
  }

  it('loads belongsTo lazily and hasMany as an async collection', async () => {
    const { p1, tech, store, Post } = await blog();
    expect(((await p1.blog) as { name: string }).name).toBe('Tech');
    const posts = await (tech.posts as { toArray(): Promise<unknown[]> }).toArray();
    expect(posts).toHaveLength(1);
    const fromQuery = (await store.query(Post, p1.id as string))!;
    const titles: string[] = [];
    for await (const c of fromQuery.comments as AsyncIterable<{ content: string }>) titles.push(c.content);
    expect(titles).toEqual(['nice']);
    const joins = await (p1.tags as { toArray(): Promise<Array<{ tag: Promise<{ label: string }> }>> }).toArray();
    expect((await joins[0]!.tag).label).toBe('code');
  });

  it('filters across belongsTo, hasMany and manyToMany', async () => {
    const { store, Post, Blog } = await blog();
    expect((await store.query(Post, (p) => p.blog.name.eq('Tech'))).map((p) => p.title)).toEqual(['TS']);
    expect((await store.query(Blog, (b) => b.posts.rating.lt(4))).map((b) => b.name)).toEqual(['Food']);
    expect((await store.query(Post, (p) => p.tags.label.eq('code'))).map((p) => p.title)).toEqual(['TS']);
    // Amplify's form: `p.tags` is the join model, so the other side is one step further.
    expect((await store.query(Post, (p) => p.tags.tag.label.eq('code'))).map((p) => p.title)).toEqual(['TS']);
    expect((await store.query(Post, (p) => p.comments.content.beginsWith('me'))).map((p) => p.title)).toEqual(['Bread']);
    expect(await store.query(Post, (p) => p.blog.name.eq('None'))).toEqual([]);
  });

  it('deleting a parent deletes its dependents locally and queues a delete for each', async () => {
    const { store, tech, Post, Comment, PostTags } = await blog();
    await store.delete(tech);
    expect((await store.query(Post)).map((p) => p.title)).toEqual(['Bread']);
    expect((await store.query(Comment)).map((c) => c.content)).toEqual(['meh']);
    expect(await store.query(PostTags)).toHaveLength(0);
    // Everything was created locally and never sent, so create+delete cancel out for the deleted ones.
    const pending = await store.pendingMutations();
    expect(pending.every((e) => e.operation === 'create')).toBe(true);
    expect(pending.map((e) => e.model).sort()).toEqual(['Blog', 'Comment', 'Post', 'Tag']);
  });
});

describe('observe', () => {
  it('emits Amplify-shaped messages for a model and for one record', async () => {
    const { store, Todo } = setup();
    const all = firstValueFrom(store.observe(Todo).pipe(take(3), toArray()));
    const a = await store.save(new Todo({ title: 'a', done: false }));
    const one = firstValueFrom(store.observe(Todo, a.id as string).pipe(take(1), toArray()));
    await store.save(Todo.copyOf(a, (d) => { d.done = true; }));
    await store.delete(a);
    expect((await all).map((m) => m.opType)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect((await one)[0]).toMatchObject({ model: 'Todo', opType: 'UPDATE', element: { done: true } });
  });
});

describe('clear', () => {
  it('reports the unsent changes it discards and empties live queries', async () => {
    const { store, Todo } = setup();
    await store.save(new Todo({ title: 'a', done: false }));
    const snapshots: number[] = [];
    const sub = store.observeQuery(Todo).subscribe((s) => snapshots.push(s.items.length));
    await new Promise((r) => setTimeout(r, 0));
    const { discarded } = await store.clear();
    expect(discarded.map((e) => e.operation)).toEqual(['create']);
    await new Promise((r) => setTimeout(r, 0));
    expect(snapshots).toEqual([1, 0]);
    expect(await store.pendingMutations()).toEqual([]);
    sub.unsubscribe();
  });
});
