import type { QueryObserver, QueryResult } from '@offgrid/core';
import { describe, expect, it, vi } from 'vitest';
import { LiveQueryHandle } from '../live-query-handle';

function fakeObserver() {
  const listeners = new Set<(r: QueryResult<unknown>) => void>();
  const result: QueryResult<unknown> = { items: [], isSynced: true, isLoading: true, error: undefined };
  return {
    listeners,
    subscribe: vi.fn((l: (r: QueryResult<unknown>) => void) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    }),
    getCurrentResult: () => result,
  };
}

describe('LiveQueryHandle', () => {
  it('keeps the observer through an unsubscribe and resubscribe in one task', async () => {
    const made: ReturnType<typeof fakeObserver>[] = [];
    const handle = new LiveQueryHandle(() => {
      made.push(fakeObserver());
      return made.at(-1) as unknown as QueryObserver<unknown>;
    });
    handle.subscribe(() => {})();
    const stop = handle.subscribe(() => {});
    await Promise.resolve();
    expect(made).toHaveLength(1);
    expect(made[0]!.subscribe).toHaveBeenCalledTimes(1);
    expect(made[0]!.listeners.size).toBe(1);
    stop();
    await Promise.resolve();
    expect(made[0]!.listeners.size).toBe(0);
  });

  it('starts a fresh observer after releasing one', async () => {
    const made: ReturnType<typeof fakeObserver>[] = [];
    const handle = new LiveQueryHandle(() => {
      made.push(fakeObserver());
      return made.at(-1) as unknown as QueryObserver<unknown>;
    });
    handle.subscribe(() => {})();
    await Promise.resolve();
    handle.subscribe(() => {});
    expect(made).toHaveLength(2);
    expect(made[0]!.listeners.size).toBe(0);
    expect(made[1]!.listeners.size).toBe(1);
  });
});
