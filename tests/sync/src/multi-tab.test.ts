import 'fake-indexeddb/auto';
import { createDataStore, IndexedDBAdapter, OnlineManager, TabCoordinator, type LockManagerLike } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_KEY, eventually, SDL, startServer, type Models, type RunningServer } from './harness';

/** Web Locks as the browser does them for one origin: exclusive, granted in request order, released with the callback. */
class OriginLocks implements LockManagerLike {
  private readonly queues = new Map<string, Array<() => void>>();
  private readonly held = new Set<string>();
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const run = () => {
        this.held.add(name);
        callback().finally(() => {
          this.held.delete(name);
          this.queues.get(name)?.shift()?.();
          resolve(undefined);
        });
      };
      if (!this.held.has(name)) return run();
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      queue.push(run);
      options.signal?.addEventListener('abort', () => {
        const i = queue.indexOf(run);
        if (i >= 0) queue.splice(i, 1);
        reject(new Error('aborted'));
      });
    });
  }
}

describe('several tabs of one app share one store', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer('sqlite');
  });
  afterAll(async () => {
    await server.close();
  });

  it('one tab leads sync, both stay current, and closing the leader hands over', async () => {
    const schema = parseSchema(SDL);
    const indexedDB = new IDBFactory();
    const locks = new OriginLocks();
    const requests = { a: 0, b: 0 };
    const tab = (name: 'a' | 'b') =>
      createDataStore<Models>({
        schema,
        storage: new IndexedDBAdapter({ name: 'shared-db', indexedDB }),
        tabs: new TabCoordinator({ name: 'todos', locks, channel: (n) => new BroadcastChannel(n) as never }),
        sync: {
          url: server.graphqlUrl,
          auth: { apiKey: API_KEY },
          webSocketImpl: WebSocket,
          onlineManager: new OnlineManager(undefined),
          retry: { baseMs: 20, capMs: 200 },
          fetch: ((url: string, init: RequestInit) => {
            requests[name]++;
            return fetch(url, init);
          }) as typeof fetch,
        },
      });
    const a = tab('a');
    await a.start();
    await eventually(() => a.isSynced('Todo'), 10_000, 'tab A to sync');
    const b = tab('b');
    await b.start();
    const seenByB: string[][] = [];
    const sub = b.observeQuery(b.models.Todo).subscribe((s) => seenByB.push(s.items.map((t) => t.title)));

    // A write in the follower is pushed by the leader and shows in both tabs.
    await b.save(new b.models.Todo({ id: 'from-b', title: 'written in B' }));
    await eventually(async () => (await server.gql('query { getTodo(id: "from-b") { id } }')).data.getTodo !== null, 10_000, 'the leader to push B\'s change');
    expect(requests.b).toBe(0);
    await eventually(async () => (await a.query(a.models.Todo, 'from-b'))?.title === 'written in B');

    // A change from the server reaches the follower's live query through the leader.
    await server.gql('mutation { createTodo(input: { id: "remote", title: "from server" }) { id } }');
    await eventually(() => seenByB.some((titles) => titles.includes('from server')), 10_000, 'B to see the server change');
    expect(requests.b).toBe(0);

    // The leader closes: B takes over and syncs by itself.
    await a.close();
    await server.gql('mutation { createTodo(input: { id: "after", title: "after handover" }) { id } }');
    await eventually(() => seenByB.some((titles) => titles.includes('after handover')), 10_000, 'B to lead and sync');
    expect(requests.b).toBeGreaterThan(0);
    sub.unsubscribe();
    await b.close();
  });
});
