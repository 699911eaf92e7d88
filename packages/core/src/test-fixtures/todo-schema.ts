import { parseSchema } from '@offgrid/schema';

/** The schema the core tests share: todo lists, a blog with every relation kind, and a composite key. */
export const todoSDL = /* GraphQL */ `
  enum Priority { LOW MEDIUM HIGH }

  type Address { street: String! city: String zip: String }

  type TodoList @model {
    id: ID!
    name: String!
    todos: [Todo] @hasMany(indexName: "byList", fields: ["id"])
  }

  type Todo @model {
    id: ID!
    title: String!
    done: Boolean!
    priority: Int
    level: Priority
    owner: String
    tags: [String!]
    due: AWSDate
    meta: AWSJSON
    email: AWSEmail
    site: AWSURL
    address: Address
    listID: ID @index(name: "byList", sortKeyFields: ["title"])
    list: TodoList @belongsTo(fields: ["listID"])
  }

  type Blog @model {
    id: ID!
    name: String!
    posts: [Post] @hasMany(indexName: "byBlog", fields: ["id"])
  }

  type Post @model {
    id: ID!
    title: String!
    rating: Int
    blogID: ID @index(name: "byBlog")
    blog: Blog @belongsTo(fields: ["blogID"])
    comments: [Comment] @hasMany(indexName: "byPost", fields: ["id"])
    tags: [Tag] @manyToMany(relationName: "PostTags")
  }

  type Comment @model {
    id: ID!
    content: String!
    postID: ID @index(name: "byPost")
    post: Post @belongsTo(fields: ["postID"])
  }

  type Tag @model {
    id: ID!
    label: String!
    posts: [Post] @manyToMany(relationName: "PostTags")
  }

  type Reading @model {
    sensorId: ID! @primaryKey(sortKeyFields: ["takenAt"])
    takenAt: AWSDateTime!
    value: Float!
  }
`;

export const todoSchema = parseSchema(todoSDL, { sourceName: 'todo.graphql' });

/** Untyped models of the fixture schema, by name (tests that need exact types declare their own). */
export type TodoModels = Record<'TodoList' | 'Todo' | 'Blog' | 'Post' | 'Comment' | 'Tag' | 'PostTags' | 'Reading', Record<string, any>>;
