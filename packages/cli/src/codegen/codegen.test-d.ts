import { createDataStore, MemoryAdapter } from '@offgrid/core';
import { describe, expectTypeOf, it } from 'vitest';
import { DataStore, type SubscriptionMessage } from '@offgrid/core/amplify';
import { Address, Blog, Comment, Label, type Models, Post, PostLabels, Reading, schema } from './fixtures/blog-models';
import type { Post as PostType } from './fixtures/blog-models/models';

const store = createDataStore<Models>({ schema, storage: new MemoryAdapter() });

describe('generated types reach every API', () => {
  it('query by id is T | undefined, by predicate T[]', () => {
    expectTypeOf(store.query(Post, 'id')).resolves.toEqualTypeOf<PostType | undefined>();
    expectTypeOf(store.query(Post, (p) => p.rating.gt(3))).resolves.toEqualTypeOf<PostType[]>();
    expectTypeOf(store.query(Reading, { sensorId: 's', takenAt: '2026-01-01T00:00:00Z' })).resolves.toMatchTypeOf<unknown>();
  });

  it('constructors reject a missing required field and wrong types at compile time', () => {
    new Post({ title: 'x', status: 'DRAFT' });
    // @ts-expect-error status is required
    new Post({ title: 'x' });
    // @ts-expect-error not a PostStatus
    new Post({ title: 'x', status: 'LIVE' });
    // @ts-expect-error rating is a number
    new Post({ title: 'x', status: 'DRAFT', rating: 'five' });
    new Comment({ content: 'hi', post: new Post({ title: 'x', status: 'DRAFT' }) });
    new Blog({ name: 'b', address: { street: 'Main St' } });
    // @ts-expect-error street is required in the embedded Address
    new Blog({ name: 'b', address: { city: 'Oslo' } });
  });

  it('predicates only offer operators valid for the field type, sort only names fields', () => {
    store.query(Post, (p) => p.title.beginsWith('H'));
    store.query(Post, (p) => p.tags.contains('ts'));
    store.query(Post, (p) => p.blog.name.eq('Tech'));
    // @ts-expect-error numbers have no beginsWith
    store.query(Post, (p) => p.rating.beginsWith('1'));
    // @ts-expect-error enums take their values
    store.query(Post, (p) => p.status.eq('LIVE'));
    store.query(Post, undefined, { sort: (s) => s.rating('DESCENDING') });
    // @ts-expect-error unknown sort field
    store.query(Post, undefined, { sort: (s) => s.likes('DESCENDING') });
  });

  it("Amplify's ./models shapes: join models from their relations, custom types as classes, observe(record)", () => {
    const post = new Post({ title: 'x', status: 'DRAFT' });
    const label = new Label({ text: 'news' });
    new PostLabels({ post, label });
    new PostLabels({ postId: post.id, labelId: label.id });
    expectTypeOf(new Address({ street: 'Main St' })).toEqualTypeOf<Address>();
    // @ts-expect-error street is required
    new Address({ city: 'Oslo' });
    new Blog({ name: 'b', address: new Address({ street: 'Main St', city: 'Oslo' }) });
    DataStore.observe(post).subscribe((m) => expectTypeOf(m).toEqualTypeOf<SubscriptionMessage<Post>>());
    DataStore.observe(Post, post.id).subscribe((m) => expectTypeOf(m).toEqualTypeOf<SubscriptionMessage<Post>>());
    DataStore.query(Post, (p) => p.labels.label.text.eq('news'));
  });

  it('relations are typed', () => {
    const post = new Post({ title: 'x', status: 'DRAFT' });
    expectTypeOf(post.blog).toEqualTypeOf<Promise<Blog | undefined>>();
    expectTypeOf(post.comments.toArray()).resolves.toEqualTypeOf<Comment[]>();
  });
});
