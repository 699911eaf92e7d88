import { describe, expect, it } from 'vitest';
import { parseSchema } from './parse-schema';
import { SchemaError } from './schema-error';

/** Line and column (1-based) of the first occurrence of `marker` in `sdl`. */
function locate(sdl: string, marker: string): { line: number; column: number } {
  const offset = sdl.indexOf(marker);
  if (offset < 0) throw new Error(`marker ${marker} not in SDL`);
  const before = sdl.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function parseError(sdl: string): SchemaError {
  try {
    parseSchema(sdl);
  } catch (error) {
    if (error instanceof SchemaError) return error;
    throw error;
  }
  throw new Error('expected a SchemaError');
}

interface BadCase {
  name: string;
  sdl: string;
  /** The error points at the first occurrence of this text. */
  at: string;
  message: RegExp | string;
}

const cases: BadCase[] = [
  {
    name: 'syntax error',
    sdl: 'type Post @model {\n  title: String\n  body String\n}',
    at: 'String\n}',
    message: 'GraphQL syntax error: Expected ":", found Name "String". Fix the SDL at this position.',
  },
  {
    name: 'unknown type, with a suggestion',
    sdl: 'type Post @model {\n  id: ID!\n  title: Strng\n}',
    at: 'Strng',
    message:
      'Unknown type "Strng" for field Post.title. Declare it as a type or enum, or fix the spelling (known scalars: ID, String, Int, Float, Boolean, AWSDate, AWSTime, AWSDateTime, AWSTimestamp, AWSEmail, AWSJSON, AWSURL, AWSPhone, AWSIPAddress). Did you mean "String"?',
  },
  {
    name: 'unknown directive',
    sdl: 'type Post @model {\n  title: String @upper\n}',
    at: '@upper',
    message: /^Unknown directive @upper on Post\.title\. Remove it or fix the spelling\./,
  },
  {
    name: 'transformer v1 @key',
    sdl: 'type Post @model @key(fields: ["id"]) {\n  id: ID!\n}',
    at: '@key',
    message: 'Unknown directive @key on Post. It is from Amplify transformer v1: use @primaryKey for the primary key or @index for a secondary index.',
  },
  {
    name: 'misplaced directive',
    sdl: 'type Post @model @primaryKey {\n  id: ID!\n}',
    at: '@primaryKey',
    message: /^@primaryKey cannot be used on a @model type \(Post\); it belongs on a field of a @model type/,
  },
  {
    name: 'duplicate model',
    sdl: 'type Post @model { id: ID! }\ntype Post @model { title: String }',
    at: 'Post @model { title',
    message: 'Duplicate type name "Post" (first declared on line 1). Rename or remove one of them.',
  },
  {
    name: 'duplicate type across kinds',
    sdl: 'enum Status { A }\ntype Status { x: String }',
    at: 'Status { x',
    message: 'Duplicate type name "Status" (first declared on line 1). Rename or remove one of them.',
  },
  {
    name: 'duplicate field',
    sdl: 'type Post @model {\n  title: String\n  title: String!\n}',
    at: 'title: String!',
    message: 'Duplicate field Post.title. Remove or rename one of the two declarations.',
  },
  {
    name: '@primaryKey on a nullable field',
    sdl: 'type Item @model {\n  sku: String @primaryKey\n}',
    at: 'String @primaryKey',
    message: 'Field Item.sku is the @primaryKey field of Item but is nullable. Make it required: sku: String!',
  },
  {
    name: '@primaryKey on a list',
    sdl: 'type Item @model {\n  skus: [String]! @primaryKey\n}',
    at: '[String]!',
    message: /^Field Item\.skus is the @primaryKey field of Item but is a list\./,
  },
  {
    name: 'sortKeyFields naming a missing field',
    sdl: 'type Item @model {\n  sku: String! @primaryKey(sortKeyFields: ["size"])\n}',
    at: '@primaryKey',
    message:
      '@primaryKey on Item.sku names sort key field "size", which Item does not declare. Declare size (e.g. size: String!) or fix sortKeyFields.',
  },
  {
    name: 'two @primaryKey fields',
    sdl: 'type Item @model {\n  a: ID! @primaryKey\n  b: ID! @primaryKey\n}',
    at: '@primaryKey\n}',
    message: /^Model Item has @primaryKey on both a and b\./,
  },
  {
    name: 'hasMany to a missing index',
    sdl: 'type Blog @model {\n  posts: [Post] @hasMany(indexName: "byBlog", fields: ["id"])\n}\ntype Post @model {\n  blogID: ID!\n}',
    at: '@hasMany',
    message:
      '@hasMany on Blog.posts uses index "byBlog", but Post has no index of that name. Add @index(name: "byBlog") to the Post field that holds the Blog key, or fix indexName.',
  },
  {
    name: 'hasMany fields naming a missing parent field',
    sdl: 'type Blog @model {\n  posts: [Post] @hasMany(indexName: "byBlog", fields: ["blogKey"])\n}\ntype Post @model {\n  blogID: ID! @index(name: "byBlog")\n}',
    at: '@hasMany',
    message: /^@hasMany on Blog\.posts names field "blogKey", which Blog does not have\./,
  },
  {
    name: 'belongsTo naming a missing field',
    sdl: 'type Blog @model { id: ID! }\ntype Post @model {\n  blog: Blog @belongsTo(fields: ["blogID"])\n}',
    at: '@belongsTo',
    message:
      '@belongsTo on Post.blog names field "blogID", which Post does not have. Declare blogID: ID (or the key\'s type) on Post, or fix fields.',
  },
  {
    name: 'hasOne naming a missing field',
    sdl: 'type User @model {\n  profile: Profile @hasOne(fields: ["profileID"])\n}\ntype Profile @model { bio: String }',
    at: '@hasOne',
    message: /^@hasOne on User\.profile names field "profileID", which User does not have\./,
  },
  {
    name: 'belongsTo with the wrong number of key fields',
    sdl: 'type Blog @model { name: String! @primaryKey(sortKeyFields: ["year"]), year: Int! }\ntype Post @model {\n  blogName: String\n  blog: Blog @belongsTo(fields: ["blogName"])\n}',
    at: '@belongsTo',
    message: /lists 1 field\(s\) but the primary key of Blog has 2\./,
  },
  {
    name: 'model-typed field without a relation directive',
    sdl: 'type Blog @model { id: ID! }\ntype Post @model {\n  blog: Blog\n}',
    at: 'blog: Blog',
    message: 'Field Post.blog has model type Blog but no relation directive. Add @hasMany, @hasOne, @belongsTo or @manyToMany, or change its type.',
  },
  {
    name: 'hasMany on a single value',
    sdl: 'type Blog @model {\n  post: Post @hasMany\n}\ntype Post @model { id: ID! }',
    at: '@hasMany',
    message: /^@hasMany on Blog\.post needs a list type\./,
  },
  {
    name: 'manyToMany with one side only',
    sdl: 'type Post @model {\n  tags: [Tag] @manyToMany(relationName: "PostTags")\n}\ntype Tag @model { label: String }',
    at: '@manyToMany',
    message:
      '@manyToMany(relationName: "PostTags") on Post.tags has no other side. Add a field with @manyToMany(relationName: "PostTags") to Tag.',
  },
  {
    name: '@default that does not fit an Int',
    sdl: 'type Post @model {\n  rating: Int @default(value: "ten")\n}',
    at: '"ten"',
    message: '@default value "ten" for Post.rating is not a valid Int; write e.g. "42".',
  },
  {
    name: '@default that is not an enum value',
    sdl: 'enum Status { DRAFT LIVE }\ntype Post @model {\n  status: Status @default(value: "GONE")\n}',
    at: '"GONE"',
    message: '@default value "GONE" for Post.status is not a value of enum Status (DRAFT, LIVE).',
  },
  {
    name: '@default written as a number',
    sdl: 'type Post @model {\n  rating: Int @default(value: 5)\n}',
    at: 'value: 5',
    message: '@default on Post.rating must be written as a string, e.g. @default(value: "5").',
  },
  {
    name: '@default that is not a date',
    sdl: 'type Post @model {\n  day: AWSDate @default(value: "yesterday")\n}',
    at: '"yesterday"',
    message: '@default value "yesterday" for Post.day is not a valid AWSDate; write e.g. "2024-05-01".',
  },
  {
    name: 'unknown @auth strategy',
    sdl: 'type Post @model @auth(rules: [{ allow: everyone }]) { id: ID! }',
    at: '{ allow',
    message: '@auth rule on Post has allow: everyone. Use one of: owner, groups, public, private, custom.',
  },
  {
    name: 'unknown @auth operation',
    sdl: 'type Post @model @auth(rules: [{ allow: public, operations: [read, peek] }]) { id: ID! }',
    at: '{ allow',
    message: /^@auth rule on Post has unknown operation peek\./,
  },
  {
    name: 'id that is not an ID',
    sdl: 'type Post @model {\n  id: Int!\n}',
    at: 'Int!',
    message: /^Field Post\.id must be "id: ID!" when the model has no @primaryKey\./,
  },
  {
    name: 'custom scalar',
    sdl: 'scalar Money\ntype Post @model { price: Money }',
    at: 'Money',
    message: /^Custom scalar "Money" is not supported\./,
  },
  {
    name: 'reserved sync field',
    sdl: 'type Post @model {\n  _version: Int\n}',
    at: '_version',
    message: 'Field Post._version uses the name _version, which Offgrid reserves for sync metadata. Rename the field.',
  },
  {
    name: 'index sort key naming a missing field',
    sdl: 'type Post @model {\n  blogID: ID! @index(name: "byBlog", sortKeyFields: ["rank"])\n}',
    at: '@index',
    message: /^@index "byBlog" on Post\.blogID names sort key field "rank", which Post does not have\./,
  },
];

describe('SchemaError', () => {
  it.each(cases)('$name', ({ sdl, at, message }) => {
    const error = parseError(sdl);
    const expected = locate(sdl, at);
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.sourceName).toBe('schema.graphql');
    expect({ line: error.line, column: error.column }).toEqual(expected);
    const prefix = `schema.graphql:${expected.line}:${expected.column}: `;
    expect(error.message.startsWith(prefix)).toBe(true);
    const detail = error.message.slice(prefix.length);
    if (typeof message === 'string') expect(detail).toBe(message);
    else expect(detail).toMatch(message);
  });

  it('reports an unknown type at a known position', () => {
    const error = parseError('\n\ntype Post @model {\n  id: ID!\n    title: Strng\n}');
    expect(error.message).toMatch(/^schema\.graphql:5:12: Unknown type "Strng" for field Post\.title\./);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SchemaError');
  });
});
