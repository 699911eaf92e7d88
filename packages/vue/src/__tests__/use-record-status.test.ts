import type { DataStore } from '@offgrid/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { shallowRef } from 'vue';
import { useRecordStatus } from '../use-record-status';
import { createTestStore, runInScope, type Models, type Todo } from './test-store';

let store: DataStore<Models>;
beforeEach(() => {
  store = createTestStore();
});
afterEach(() => store.close());

describe('useRecordStatus', () => {
  it('reports a local change as pending, and follows the record given', async () => {
    const { Todo } = store.models;
    const saved = await store.save(new Todo({ title: 'a', done: false }));
    const record = shallowRef<Todo | undefined>(undefined);
    const { result, scope } = runInScope(store, () => useRecordStatus(record));
    expect(result.value).toBeUndefined();

    record.value = saved;
    await vi.waitFor(() => expect(result.value?.status).toBe('pending'));

    // The outbox empties (as when sync sends it): the status is read again.
    await store.clear();
    const again = await store.save(new Todo({ id: 'fresh', title: 'b', done: false }));
    await store.clear();
    record.value = again;
    await vi.waitFor(() => expect(result.value?.status).toBe('synced'));
    scope.stop();
  });

  it('reads again when the outbox changes', async () => {
    const { Todo } = store.models;
    const saved = await store.save(new Todo({ title: 'a', done: false }));
    const { result } = runInScope(store, () => useRecordStatus(() => saved));
    await vi.waitFor(() => expect(result.value?.status).toBe('pending'));
    const first = result.value;
    await store.save(Todo.copyOf(saved, (d) => void (d.title = 'b')));
    await new Promise((r) => setTimeout(r, 10));
    // Still pending: the same object, so nothing re-renders.
    expect(result.value).toBe(first);
    await store.clear();
    await vi.waitFor(() => expect(result.value?.status).toBe('synced'));
  });
});
