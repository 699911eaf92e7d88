import { describe, expect, it } from 'vitest';
import { blogSchemaSDL } from './fixtures/blog-schema';
import { parseSchema } from './parse-schema';
import type { FieldDefinition } from './types';

const schema = parseSchema(blogSchemaSDL);
const models = schema.models;

function field(model: string, name: string): FieldDefinition | undefined {
  return models[model]?.fields[name];
}

const awsDateTime = { kind: 'scalar', name: 'AWSDateTime' } as const;
const timestamp = (name: string): FieldDefinition => ({
  name,
  type: awsDateTime,
  required: false,
  isList: false,
  listItemRequired: false,
  readOnly: true,
});

describe('parseSchema on the blog schema', () => {
  it('finds every model, the join model, the embedded type and the enum', () => {
    expect(Object.keys(models).sort()).toEqual(['Blog', 'Comment', 'Note', 'Post', 'PostTags', 'Reading', 'Tag']);
    expect(Object.keys(schema.nonModels)).toEqual(['Address']);
    expect(schema.enums).toEqual({ PostStatus: { name: 'PostStatus', values: ['DRAFT', 'PUBLISHED', 'ARCHIVED'] } });
    expect(schema.formatVersion).toBe(1);
    expect(schema.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toStrictEqual(schema);
  });

  it('keeps fields in fieldOrder, with implicit id first and timestamps after declared fields', () => {
    for (const model of Object.values(models)) expect(Object.keys(model.fields)).toEqual(model.fieldOrder);
    expect(models.Comment?.fieldOrder).toEqual(['id', 'content', 'post', 'createdAt', 'updatedAt', 'postCommentsId']);
    expect(models.Blog?.fieldOrder).toEqual(['id', 'name', 'address', 'posts', 'createdAt', 'updatedAt']);
  });

  it('describes Blog fully', () => {
    expect(models.Blog).toStrictEqual({
      name: 'Blog',
      pluralName: 'Blogs',
      fieldOrder: ['id', 'name', 'address', 'posts', 'createdAt', 'updatedAt'],
      fields: {
        id: { name: 'id', type: { kind: 'scalar', name: 'ID' }, required: true, isList: false, listItemRequired: false },
        name: { name: 'name', type: { kind: 'scalar', name: 'String' }, required: true, isList: false, listItemRequired: false },
        address: { name: 'address', type: { kind: 'nonModel', name: 'Address' }, required: false, isList: false, listItemRequired: false },
        posts: {
          name: 'posts',
          type: { kind: 'model', name: 'Post' },
          required: false,
          isList: true,
          listItemRequired: false,
          relation: { kind: 'hasMany', model: 'Post', associatedWith: ['blogID'] },
        },
        createdAt: timestamp('createdAt'),
        updatedAt: timestamp('updatedAt'),
      },
      primaryKey: ['id'],
      managedId: true,
      indexes: [],
      auth: [],
      timestamps: { createdAt: 'createdAt', updatedAt: 'updatedAt' },
    });
  });

  it('reads Post: enum, defaults, index with sort key and queryField, public auth', () => {
    const post = models.Post;
    expect(post?.fieldOrder).toEqual([
      'id', 'title', 'status', 'rating', 'score', 'featured', 'blogID', 'blog', 'comments', 'tags', 'createdAt', 'updatedAt',
    ]);
    expect(field('Post', 'status')).toStrictEqual({
      name: 'status',
      type: { kind: 'enum', name: 'PostStatus' },
      required: true,
      isList: false,
      listItemRequired: false,
      default: 'DRAFT',
    });
    expect(field('Post', 'rating')?.default).toBe('0');
    expect(field('Post', 'score')?.default).toBe('2.5');
    expect(field('Post', 'featured')?.default).toBe('false');
    expect(post?.indexes).toStrictEqual([{ name: 'byBlog', fields: ['blogID', 'title'], queryField: 'postsByBlog' }]);
    expect(post?.auth).toStrictEqual([{ allow: 'public', operations: ['create', 'read', 'update', 'delete'] }]);
    expect(post?.managedId).toBe(true);
    expect(post?.primaryKey).toEqual(['id']);
  });

  it('resolves hasMany/belongsTo with explicit fields and index', () => {
    expect(field('Post', 'blog')?.relation).toStrictEqual({ kind: 'belongsTo', model: 'Blog', targetNames: ['blogID'] });
    expect(field('Post', 'blog')?.type).toStrictEqual({ kind: 'model', name: 'Blog' });
  });

  it('gives an argument-less hasMany and its belongsTo one shared implicit key (postCommentsId)', () => {
    expect(field('Post', 'comments')?.relation).toStrictEqual({ kind: 'hasMany', model: 'Comment', associatedWith: ['postCommentsId'] });
    expect(field('Comment', 'post')?.relation).toStrictEqual({ kind: 'belongsTo', model: 'Post', targetNames: ['postCommentsId'] });
    expect(field('Comment', 'postCommentsId')).toStrictEqual({
      name: 'postCommentsId',
      type: { kind: 'scalar', name: 'ID' },
      required: false,
      isList: false,
      listItemRequired: false,
    });
  });

  it('generates the PostTags join model for @manyToMany', () => {
    expect(models.PostTags).toStrictEqual({
      name: 'PostTags',
      pluralName: 'PostTags',
      isJoinModel: true,
      fieldOrder: ['id', 'postId', 'tagId', 'post', 'tag', 'createdAt', 'updatedAt'],
      fields: {
        id: { name: 'id', type: { kind: 'scalar', name: 'ID' }, required: true, isList: false, listItemRequired: false },
        postId: { name: 'postId', type: { kind: 'scalar', name: 'ID' }, required: true, isList: false, listItemRequired: false },
        tagId: { name: 'tagId', type: { kind: 'scalar', name: 'ID' }, required: true, isList: false, listItemRequired: false },
        post: {
          name: 'post',
          type: { kind: 'model', name: 'Post' },
          required: true,
          isList: false,
          listItemRequired: false,
          relation: { kind: 'belongsTo', model: 'Post', targetNames: ['postId'] },
        },
        tag: {
          name: 'tag',
          type: { kind: 'model', name: 'Tag' },
          required: true,
          isList: false,
          listItemRequired: false,
          relation: { kind: 'belongsTo', model: 'Tag', targetNames: ['tagId'] },
        },
        createdAt: timestamp('createdAt'),
        updatedAt: timestamp('updatedAt'),
      },
      primaryKey: ['id'],
      managedId: true,
      indexes: [
        { name: 'byPost', fields: ['postId'] },
        { name: 'byTag', fields: ['tagId'] },
      ],
      auth: [{ allow: 'public', operations: ['create', 'read', 'update', 'delete'] }],
      timestamps: { createdAt: 'createdAt', updatedAt: 'updatedAt' },
    });
    expect(field('Post', 'tags')?.relation).toStrictEqual({ kind: 'manyToMany', joinModel: 'PostTags', model: 'Tag', associatedWith: ['postId'] });
    expect(field('Tag', 'posts')?.relation).toStrictEqual({ kind: 'manyToMany', joinModel: 'PostTags', model: 'Post', associatedWith: ['tagId'] });
  });

  it('names an unnamed @index after its field', () => {
    expect(models.Tag?.indexes).toStrictEqual([{ name: 'byLabel', fields: ['label'] }]);
  });

  it('normalizes owner auth and adds the owner field', () => {
    expect(models.Note?.auth).toStrictEqual([
      { allow: 'owner', ownerField: 'owner', identityClaim: 'sub', operations: ['create', 'read', 'update', 'delete'] },
      { allow: 'public', operations: ['read'] },
    ]);
    expect(field('Note', 'owner')).toStrictEqual({
      name: 'owner',
      type: { kind: 'scalar', name: 'String' },
      required: false,
      isList: false,
      listItemRequired: false,
    });
    expect(models.Note?.fieldOrder).toEqual(['id', 'text', 'pinned', 'createdAt', 'updatedAt', 'owner']);
  });

  it('reads a composite key and renamed/disabled timestamps on Reading', () => {
    const reading = models.Reading;
    expect(reading?.primaryKey).toEqual(['sensorId', 'createdAt']);
    expect(reading?.managedId).toBe(false);
    expect(reading?.timestamps).toStrictEqual({ createdAt: 'createdAt' });
    expect(reading?.fields.id).toBeUndefined();
    expect(reading?.fields.updatedAt).toBeUndefined();
    // Part of the key, so the client writes it: not read-only.
    expect(field('Reading', 'createdAt')).toStrictEqual({
      name: 'createdAt',
      type: awsDateTime,
      required: true,
      isList: false,
      listItemRequired: false,
    });
    expect(field('Reading', 'tags')).toMatchObject({ required: true, isList: true, listItemRequired: true });
  });

  it('reads every AWS scalar and its @default', () => {
    const expected: Array<[string, string, string]> = [
      ['day', 'AWSDate', '2024-05-01'],
      ['at', 'AWSTime', '13:45:00'],
      ['seenAt', 'AWSDateTime', '2024-05-01T13:45:00.000Z'],
      ['epoch', 'AWSTimestamp', '1714571100'],
      ['contact', 'AWSEmail', 'ops@example.com'],
      ['payload', 'AWSJSON', '{"a": 1}'],
      ['link', 'AWSURL', 'https://example.com/r'],
      ['phone', 'AWSPhone', '+64 9 555 0100'],
      ['ip', 'AWSIPAddress', '192.168.0.1'],
    ];
    for (const [name, scalar, value] of expected) {
      expect(field('Reading', name)).toStrictEqual({
        name,
        type: { kind: 'scalar', name: scalar },
        required: false,
        isList: false,
        listItemRequired: false,
        default: value,
      });
    }
  });

  it('reads embedded types with their defaults', () => {
    expect(schema.nonModels.Address).toStrictEqual({
      name: 'Address',
      fieldOrder: ['street', 'city', 'postcode', 'country'],
      fields: {
        street: { name: 'street', type: { kind: 'scalar', name: 'String' }, required: false, isList: false, listItemRequired: false },
        city: { name: 'city', type: { kind: 'scalar', name: 'String' }, required: true, isList: false, listItemRequired: false },
        postcode: { name: 'postcode', type: { kind: 'scalar', name: 'String' }, required: false, isList: false, listItemRequired: false },
        country: {
          name: 'country',
          type: { kind: 'scalar', name: 'String' },
          required: false,
          isList: false,
          listItemRequired: false,
          default: 'NZ',
        },
      },
    });
  });

  it('uses Amplify plural names', () => {
    expect(Object.fromEntries(Object.values(models).map((m) => [m.name, m.pluralName]))).toEqual({
      Blog: 'Blogs',
      Post: 'Posts',
      Comment: 'Comments',
      Tag: 'Tags',
      Note: 'Notes',
      Reading: 'Readings',
      PostTags: 'PostTags',
    });
  });
});

describe('parseSchema details', () => {
  it('adds id and timestamps to a bare model and keeps an explicit id managed', () => {
    const bare = parseSchema('type Todo @model { title: String }').models.Todo;
    expect(bare?.fieldOrder).toEqual(['id', 'title', 'createdAt', 'updatedAt']);
    expect(bare?.managedId).toBe(true);
    const explicit = parseSchema('type Todo @model { id: ID!, title: String }').models.Todo;
    expect(explicit?.fieldOrder).toEqual(['id', 'title', 'createdAt', 'updatedAt']);
    expect(explicit?.managedId).toBe(true);
  });

  it('honours timestamps: null and renamed timestamps, marking declared ones read-only', () => {
    const none = parseSchema('type Todo @model(timestamps: null) { title: String }').models.Todo;
    expect(none?.fieldOrder).toEqual(['id', 'title']);
    expect(none?.timestamps).toStrictEqual({});
    const renamed = parseSchema(`
      type Todo @model(timestamps: { createdAt: "created", updatedAt: "updated" }, queries: null, subscriptions: { level: public }) {
        created: AWSDateTime!
        title: String
      }
    `).models.Todo;
    expect(renamed?.timestamps).toStrictEqual({ createdAt: 'created', updatedAt: 'updated' });
    expect(renamed?.fieldOrder).toEqual(['id', 'created', 'title', 'updated']);
    expect(renamed?.fields.created).toMatchObject({ required: true, readOnly: true });
    expect(renamed?.fields.updated).toMatchObject({ required: false, readOnly: true });
  });

  it('accepts Amplify directives that have no effect here, root types, inputs and field-level auth', () => {
    const parsed = parseSchema(`
      input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
      scalar AWSDateTime
      type Todo @model @aws_api_key @aws_iam @aws_cognito_user_pools(cognito_groups: ["a"]) @aws_oidc @aws_lambda @searchable @mapsTo(name: "Task") {
        title: String @deprecated(reason: "x") @refersTo(name: "name")
        secret: String @auth(rules: [{ allow: owner }])
        summary: String @function(name: "summarize") @http(url: "https://example.com") @predictions(actions: [identifyText])
      }
      enum Level @aws_api_key { LOW HIGH @deprecated }
      type Query { hello: String @function(name: "hello") }
      type Mutation { ping: String }
      type Subscription { onTodo: Todo @aws_subscribe(mutations: ["createTodo"]) }
      extend type Query { more: String }
    `);
    expect(parsed.models.Todo?.fieldOrder).toEqual(['id', 'title', 'secret', 'summary', 'createdAt', 'updatedAt']);
    expect(parsed.models.Todo?.auth).toEqual([]);
    expect(Object.keys(parsed.models)).toEqual(['Todo']);
  });

  it('uses the sourceName in errors', () => {
    expect(() => parseSchema('type A @model { x: Nope }', { sourceName: 'amplify/backend/api/app/schema.graphql' })).toThrow(
      /^amplify\/backend\/api\/app\/schema\.graphql:1:20: Unknown type "Nope"/,
    );
  });
});
