import { describe, expect, it } from 'vitest';
import { createOpfsSqliteAdapter, detectOpfsSupport, type OpfsEvent, OpfsUnavailableError } from '../opfs';
import { missingOpfsApi } from './opfs-support';

describe('where SQLite on OPFS cannot run', () => {
  it('names the first missing browser API', () => {
    const Worker = function Worker() {};
    const BroadcastChannel = function BroadcastChannel() {};
    const storage = { getDirectory: () => undefined };
    expect(missingOpfsApi({})).toMatch(/Web Workers/);
    expect(missingOpfsApi({ Worker })).toMatch(/Origin Private File System/);
    expect(missingOpfsApi({ Worker, navigator: { storage } })).toMatch(/Web Locks/);
    expect(missingOpfsApi({ Worker, navigator: { storage, locks: {} } })).toMatch(/BroadcastChannel/);
    expect(missingOpfsApi({ Worker, BroadcastChannel, navigator: { storage, locks: {} } })).toBeUndefined();
  });

  it('in Node: detectOpfsSupport says no, and opening fails with OpfsUnavailableError and an unavailable event', async () => {
    expect(detectOpfsSupport()).toEqual({ supported: false, reason: expect.any(String) });
    const events: OpfsEvent[] = [];
    const storage = createOpfsSqliteAdapter({ file: 'todos.db', onEvent: (e) => events.push(e) });
    const error = await storage.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpfsUnavailableError);
    expect((error as OpfsUnavailableError).code).toBe('OPFS_UNAVAILABLE');
    expect((error as Error).message).toMatch(/IndexedDBAdapter/);
    expect(events).toEqual([{ type: 'unavailable', reason: expect.any(String), error }]);
  });

  it('refuses a file name that is not a plain name, before anything opens', () => {
    expect(() => createOpfsSqliteAdapter({ file: '../escape.db' })).toThrow(/plain name/);
  });
});
