import { describe, expectTypeOf, it } from 'vitest';
import type { AsyncCollection } from '../predicates/predicate-types';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import { todoSchema } from '../test-fixtures/todo-schema';
import type { DataStoreEvent } from '../events/datastore-event';
import type { ModelSyncProgress } from '../sync/sync-progress';
import { createDataStore } from './data-store';

interface TodoList {
  readonly id: string;
  readonly name: string;
  readonly todos: AsyncCollection<Todo>;
}
interface Todo {
  readonly id: string;
  readonly title: string;
  readonly done: boolean;
  readonly priority?: number | null;
  readonly tags?: readonly string[] | null;
  readonly listID?: string | null;
  readonly list: Promise<TodoList | undefined>;
  readonly createdAt?: string | null;
  readonly updatedAt?: string | null;
}

const store = createDataStore<{ Todo: Todo; TodoList: TodoList }>({ schema: todoSchema, storage: new MemoryAdapter() });
const { Todo, TodoList } = store.models;

describe('typed models', () => {
  it('constructors take the writable fields and return the model type', () => {
    const list = new TodoList({ name: 'x' });
    expectTypeOf(new Todo({ title: 'a', done: false, list })).toEqualTypeOf<Todo>();
    // @ts-expect-error title is required
    new Todo({ done: false });
    // @ts-expect-error done is a boolean
    new Todo({ title: 'a', done: 'no' });
    // @ts-expect-error createdAt is managed by the store
    new Todo({ title: 'a', done: false, createdAt: 'x' });
  });

  it('query by id returns T | undefined, by predicate T[]', () => {
    expectTypeOf(store.query(Todo, 'id')).resolves.toEqualTypeOf<Todo | undefined>();
    expectTypeOf(store.query(Todo, (p) => p.done.eq(false))).resolves.toEqualTypeOf<Todo[]>();
    expectTypeOf(store.save(new Todo({ title: 'a', done: false }))).resolves.toEqualTypeOf<Todo>();
  });

  it('predicates offer only the operators of the field type', () => {
    store.query(Todo, (p) => p.title.beginsWith('a'));
    store.query(Todo, (p) => p.priority.between(1, 3));
    store.query(Todo, (p) => p.tags.contains('x'));
    store.query(Todo, (p) => p.list.name.eq('Groceries'));
    store.query(Todo, (p) => p.and((p) => [p.done.eq(true), p.not((p) => p.priority.gt(2))]));
    // @ts-expect-error booleans have no gt
    store.query(Todo, (p) => p.done.gt(true));
    // @ts-expect-error numbers have no beginsWith
    store.query(Todo, (p) => p.priority.beginsWith('1'));
    // @ts-expect-error a number field takes a number
    store.query(Todo, (p) => p.priority.eq('1'));
    // @ts-expect-error unknown field
    store.query(Todo, (p) => p.titel.eq('x'));
    // @ts-expect-error lists only offer contains/notContains
    store.query(Todo, (p) => p.tags.eq('x'));
  });

  it('sort only names fields', () => {
    store.query(Todo, undefined, { sort: (s) => s.priority('DESCENDING').title('ASCENDING') });
    store.query(Todo, undefined, { sort: [{ field: 'title', direction: 'asc' }] });
    // @ts-expect-error unknown sort field
    store.query(Todo, undefined, { sort: (s) => s.nope('ASCENDING') });
  });

  it('copyOf drafts are writable copies of the model', () => {
    const t = new Todo({ title: 'a', done: false });
    expectTypeOf(Todo.copyOf(t, (d) => { d.done = true; })).toEqualTypeOf<Todo>();
    // @ts-expect-error done is a boolean
    Todo.copyOf(t, (d) => { d.done = 'yes'; });
  });

  it('live queries and observeQuery carry the model type', () => {
    expectTypeOf(store.liveQuery(Todo).getCurrentResult().items).toEqualTypeOf<readonly Todo[]>();
    store.observeQuery(Todo).subscribe((s) => expectTypeOf(s.items).toEqualTypeOf<Todo[]>());
  });

  it('sync status and events carry per-model progress with an optional total', () => {
    store.syncStatus$.subscribe((s) => {
      expectTypeOf(s.progress).toEqualTypeOf<Record<string, ModelSyncProgress> | undefined>();
      const p = s.progress?.Todo;
      if (p) {
        expectTypeOf(p.received).toEqualTypeOf<number>();
        expectTypeOf(p.applied).toEqualTypeOf<number>();
        expectTypeOf(p.total).toEqualTypeOf<number | undefined>();
        expectTypeOf(p.type).toEqualTypeOf<'full' | 'delta' | undefined>();
        expectTypeOf(p.done).toEqualTypeOf<boolean>();
      }
    });
    store.events$.subscribe((e: DataStoreEvent) => {
      if (e.event === 'syncProgress') expectTypeOf(e.data).toEqualTypeOf<{ model: string } & ModelSyncProgress>();
    });
  });
});
