import { parseSchema } from '@offgrid/schema';
import type { AsyncCollection } from '@offgrid/core';

/** The demo's SDL: the same text as examples/todo.graphql, which `offgrid serve` loads (a test checks they match). */
export const todoSDL = /* GraphQL */ `
# The demo schema: todo lists and todos. Loads unchanged in Amplify and in Offgrid.
enum Priority {
  LOW
  NORMAL
  HIGH
}

type TodoList @model {
  id: ID!
  name: String!
  todos: [Todo] @hasMany(indexName: "byList", fields: ["id"])
}

type Todo @model {
  id: ID!
  title: String!
  done: Boolean!
  priority: Priority
  listID: ID @index(name: "byList", sortKeyFields: ["title"])
  list: TodoList @belongsTo(fields: ["listID"])
}
`;

/** The demo's models. */
export const todoSchema = parseSchema(todoSDL, { sourceName: 'todo.graphql' });

export type Priority = 'LOW' | 'NORMAL' | 'HIGH';

export interface TodoList {
  readonly id: string;
  readonly name: string;
  readonly todos: AsyncCollection<Todo>;
  readonly createdAt?: string | null;
  readonly updatedAt?: string | null;
}

export interface Todo {
  readonly id: string;
  readonly title: string;
  readonly done: boolean;
  readonly priority?: Priority | null;
  readonly listID?: string | null;
  readonly list: Promise<TodoList | undefined>;
  readonly createdAt?: string | null;
  readonly updatedAt?: string | null;
}

export type TodoModels = { Todo: Todo; TodoList: TodoList };
