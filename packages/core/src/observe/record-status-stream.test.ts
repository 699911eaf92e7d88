import { describe, expect, it } from 'vitest';
import { createDataStore } from '../datastore/data-store';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import { todoSchema, type TodoModels } from '../test-fixtures/todo-schema';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('recordStatus$', () => {
  it('emits the current status, then changes for this record only, without repeats', async () => {
    const storage = new MemoryAdapter();
    const store = createDataStore<TodoModels>({ schema: todoSchema, storage });
    const { Todo } = store.models;
    const a = await store.save(new Todo({ title: 'a', done: false }));
    const seen: string[] = [];
    const sub = store.recordStatus$(a).subscribe((s) => seen.push(s.status));
    await tick();
    expect(seen).toEqual(['pending']);
    await store.save(new Todo({ title: 'other', done: false }));
    await store.save(Todo.copyOf(a, (d) => { d.done = true; }));
    await tick();
    expect(seen).toEqual(['pending']);
    // The server acknowledged everything (simulated): the outbox empties and the record is synced.
    await store.clear();
    await tick();
    expect(seen).toEqual(['pending', 'synced']);
    sub.unsubscribe();
  });
});

describe('recordStatusStream with a driven source', () => {
  it('re-reads on this record\'s events and on shared counts (another tab leads), settles on an empty outbox', async () => {
    const { Subject, BehaviorSubject } = await import('rxjs');
    const { recordStatusStream } = await import('./record-status-stream');
    const events = new Subject<import('../events/datastore-event').DataStoreEvent>();
    const counts = new BehaviorSubject({ state: 'synced' as const, pending: 1, rejected: 0 });
    let status: { status: 'synced' | 'pending' | 'conflicted' | 'rejected'; reason?: string } = { status: 'pending' };
    let reads = 0;
    const source = { schema: todoSchema, events$: events, syncStatus$: counts, read: async () => {
      reads++;
      return status;
    } };
    const todo = { id: 't1', title: 'a', done: false };
    const other = { id: 't2', title: 'b', done: false };
    const seen: unknown[] = [];
    const sub = recordStatusStream(source, 'Todo', todo).subscribe((s) => seen.push(s));
    await tick();
    expect(seen).toEqual([{ status: 'pending' }]);
    expect(reads).toBe(1);

    events.next({ event: 'outboxMutationProcessed', data: { model: 'Todo', element: other, operation: 'update' } });
    await tick();
    expect(reads).toBe(1); // another record's event does not concern this one

    status = { status: 'rejected', reason: 'Unauthorized' };
    events.next({ event: 'outboxMutationFailed', data: { model: 'Todo', element: todo, operation: 'update', error: { errorType: 'Unauthorized', message: 'Unauthorized' } } });
    await tick();
    expect(seen.at(-1)).toEqual({ status: 'rejected', reason: 'Unauthorized' });

    status = { status: 'synced' };
    counts.next({ state: 'synced', pending: 0, rejected: 0 });
    await tick();
    expect(seen.at(-1)).toEqual({ status: 'synced' });
    const before = reads;
    counts.next({ state: 'synced', pending: 3, rejected: 0 });
    await tick();
    expect(reads).toBe(before); // a synced record waits for its own events

    status = { status: 'pending' };
    events.next({ event: 'outboxMutationEnqueued', data: { model: 'Todo', element: todo, operation: 'update' } });
    events.next({ event: 'outboxStatus', data: { isEmpty: false, pending: 1 } });
    await tick();
    expect(seen.at(-1)).toEqual({ status: 'pending' });
    expect(reads).toBe(before + 1); // the two events were answered by one read
    events.next({ event: 'outboxStatus', data: { isEmpty: true, pending: 0 } });
    expect(seen.at(-1)).toEqual({ status: 'synced' });
    sub.unsubscribe();
    expect(events.observed).toBe(false);
  });
});
