import { buildSchema, validateSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { blogSchemaSDL } from '../fixtures/blog-schema';
import { parseSchema } from '../parse-schema';
import { generateGraphQLApi } from './generate-graphql-api';

describe('generateGraphQLApi', () => {
  const api = generateGraphQLApi(parseSchema(blogSchemaSDL));
  const built = buildSchema(api);

  it('is a valid GraphQL schema', () => {
    expect(validateSchema(built)).toEqual([]);
  });

  it('has AppSync-shaped operations per model', () => {
    const query = built.getQueryType()!.getFields();
    const mutation = built.getMutationType()!.getFields();
    const subscription = built.getSubscriptionType()!.getFields();
    expect(Object.keys(query)).toEqual(expect.arrayContaining(['getPost', 'listPosts', 'syncPosts']));
    expect(query.syncPosts!.args.map((a) => a.name)).toEqual(['filter', 'limit', 'nextToken', 'lastSync']);
    expect(Object.keys(mutation)).toEqual(expect.arrayContaining(['createPost', 'updatePost', 'deletePost', 'pushMutations']));
    expect(mutation.updatePost!.args.map((a) => `${a.name}:${a.type}`)).toEqual(['input:UpdatePostInput!', 'condition:ModelPostConditionInput']);
    expect(Object.keys(subscription)).toEqual(expect.arrayContaining(['onCreatePost', 'onUpdatePost', 'onDeletePost']));
  });

  it('carries sync metadata and owner arguments', () => {
    const post = built.getType('Post') as import('graphql').GraphQLObjectType;
    expect(Object.keys(post.getFields())).toEqual(expect.arrayContaining(['_version', '_deleted', '_lastChangedAt']));
    const note = built.getSubscriptionType()!.getFields().onCreateNote!;
    expect(note.args.map((a) => a.name)).toContain('owner');
  });

  it('is stable', () => {
    expect(generateGraphQLApi(parseSchema(blogSchemaSDL))).toBe(api);
  });
});
