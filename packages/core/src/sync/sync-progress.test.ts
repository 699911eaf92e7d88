import { describe, expect, it } from 'vitest';
import { summarizeSyncProgress, syncProgressOf } from './sync-progress';

describe('summarizeSyncProgress', () => {
  it('adds up the models and knows the total only once every unfinished model has one', () => {
    expect(summarizeSyncProgress(undefined)).toEqual({ received: 0, applied: 0, total: 0, done: true });
    const waiting = { List: { type: 'full' as const, received: 3, applied: 3, total: 3, done: true }, Todo: { received: 0, applied: 0, done: false } };
    expect(summarizeSyncProgress(waiting)).toEqual({ received: 3, applied: 3, total: undefined, done: false });
    const started = { ...waiting, Todo: { type: 'full' as const, received: 2000, applied: 1000, total: 8000, done: false } };
    expect(summarizeSyncProgress(started)).toEqual({ received: 2003, applied: 1003, total: 8003, done: false });
  });

  it('counts a finished model by what it applied, so the bar ends full even below the total the server told', () => {
    const ended = { Todo: { type: 'full' as const, received: 7998, applied: 7998, total: 8000, done: true }, Note: { type: 'delta' as const, received: 5, applied: 5, done: true } };
    expect(summarizeSyncProgress(ended)).toEqual({ received: 8003, applied: 8003, total: 8003, done: true });
  });
});

describe('syncProgressOf', () => {
  it('says whether a full sync is running and answers the same object for the same status', () => {
    const status = {
      state: 'syncing' as const,
      pending: 0,
      rejected: 0,
      progress: { Todo: { type: 'full' as const, received: 40, applied: 0, total: 100, done: false } },
    };
    const p = syncProgressOf(status);
    expect(p).toEqual({ received: 40, applied: 0, total: 100, done: false, syncing: true, fullSync: true, models: status.progress });
    expect(syncProgressOf(status)).toBe(p);
    expect(syncProgressOf({ ...status, state: 'offline' })).toMatchObject({ syncing: false, fullSync: true });
    expect(syncProgressOf({ state: 'synced', pending: 0, rejected: 0 })).toEqual({ received: 0, applied: 0, total: 0, done: true, syncing: false, fullSync: false, models: {} });
  });
});
