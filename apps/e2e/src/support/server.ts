import { gql } from '../../../../scripts/demo-lib.mjs';

/** A todo as the sync server stores it. */
export interface ServerTodo {
  id: string;
  title: string;
  done: boolean;
  listID: string | null;
  _version: number;
  _deleted: boolean | null;
}

const TODO_FIELDS = 'id title done listID _version _deleted';

/** Talks to the suite's `offgrid serve` as another client would (API key, plain GraphQL over HTTP). */
export class SyncServer {
  constructor(readonly graphqlUrl: string) {}

  /** The stored todo, or undefined if the server never saw it. A deleted one comes back with `_deleted`. */
  async todo(id: string): Promise<ServerTodo | undefined> {
    const data = await gql(this.graphqlUrl, `query ($id: ID!) { getTodo(id: $id) { ${TODO_FIELDS} } }`, { id });
    return (data.getTodo as ServerTodo | null) ?? undefined;
  }

  /** Todos whose title contains `text` (deleted ones excluded). */
  async todosTitled(text: string): Promise<ServerTodo[]> {
    const data = await gql(
      this.graphqlUrl,
      `query ($filter: ModelTodoFilterInput) { listTodos(filter: $filter, limit: 1000) { items { ${TODO_FIELDS} } } }`,
      { filter: { title: { contains: text } } },
    );
    return (data.listTodos.items as ServerTodo[]).filter((t) => !t._deleted);
  }

  /** Creates a todo as a third client would (the apps must receive it live). */
  async createTodo(input: { id?: string; title: string; listID: string; done?: boolean }): Promise<ServerTodo> {
    const data = await gql(
      this.graphqlUrl,
      `mutation ($input: CreateTodoInput!) { createTodo(input: $input) { ${TODO_FIELDS} } }`,
      { input: { done: false, priority: 'NORMAL', ...input } },
    );
    return data.createTodo as ServerTodo;
  }

  /** Renames a todo at its current version, as a third client would. */
  async renameTodo(id: string, title: string): Promise<ServerTodo> {
    const current = await this.todo(id);
    if (!current) throw new Error(`the server has no todo ${id}`);
    const data = await gql(
      this.graphqlUrl,
      `mutation ($input: UpdateTodoInput!) { updateTodo(input: $input) { ${TODO_FIELDS} } }`,
      { input: { id, title, _version: current._version } },
    );
    return data.updateTodo as ServerTodo;
  }
}
