import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from './fault-proxy';
import { createClient, DATABASES, eventually, settled, sleep, startServer, type RunningServer, type TestClient } from './harness';

/**
 * Lifecycle calls (`start`, `stop`, `clear`, `close`) finish the local work and resolve whatever the network
 * does meanwhile: a reset connection is sync trouble, reported by `syncError` and the sync status, never a
 * rejected lifecycle call. Every error the store reports is an `Error` whose message says what happened.
 */
describe.each(DATABASES)('lifecycle calls meeting network faults on %s', (kind) => {
  let server: RunningServer;
  const clients: TestClient[] = [];
  const proxies: FaultProxy[] = [];
  const client = (url: string, options?: Parameters<typeof createClient>[1]) => {
    const c = createClient(url, options);
    clients.push(c);
    return c;
  };
  const proxy = async () => {
    const p = await FaultProxy.start(server.url);
    proxies.push(p);
    return p;
  };
  /** Every `syncError` carries an Error with a message, never a raw socket event. */
  const expectWellFormedErrors = (c: TestClient): number => {
    const errors = c.events.filter((e) => e.event === 'syncError');
    for (const e of errors) {
      expect(e.data.error).toBeInstanceOf(Error);
      expect(e.data.error.code).toMatch(/^SYNC_/);
      expect(typeof e.data.message).toBe('string');
      expect(e.data.message).not.toMatch(/^(undefined|\[object)/);
    }
    return errors.length;
  };

  beforeAll(async () => {
    server = await startServer(kind);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.store.close()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await server.close();
  });

  it('close() while the subscription socket is reconnecting to an unreachable server resolves', async () => {
    for (let i = 0; i < 10; i++) {
      const p = await proxy();
      const a = client(p.graphqlUrl);
      await a.store.start();
      await settled(a);
      await eventually(() => p.webSocketCount() > 0, 5000, 'the subscription socket');
      const before = p.connections;
      p.setUnreachable(true);
      // The socket has been refused at least once and now waits for its next attempt.
      await eventually(() => p.connections >= before + 2, 5000, 'a refused reconnect');
      await expect(a.store.close()).resolves.toBeUndefined();
      expectWellFormedErrors(a);
      clients.splice(clients.indexOf(a), 1);
    }
  });

  it('stop(), start(), clear() and close() resolve while connections are reset under them', async () => {
    const p = await proxy();
    let syncErrors = 0;
    for (let i = 0; i < 30; i++) {
      const a = client(p.graphqlUrl);
      const { Todo } = a.store.models;
      await a.store.start();
      await a.store.save(new Todo({ id: `life-${kind}-${i}`, title: `t${i}` }));
      // Reset everything at a different moment of the client's life each time: during the first sync,
      // the push, the socket handshake, or the lifecycle call itself.
      await sleep((i * 7) % 60);
      p.dropAll();
      const op = i % 3;
      if (op === 0) {
        await expect(a.store.stop()).resolves.toBeUndefined();
        await expect(a.store.start()).resolves.toBeUndefined();
        p.dropAll();
      } else if (op === 1) {
        await expect(a.store.clear()).resolves.toMatchObject({ discarded: expect.any(Array) });
        p.dropAll();
      }
      p.setUnreachable(i % 2 === 0);
      await sleep((i * 3) % 20);
      await expect(a.store.close()).resolves.toBeUndefined();
      p.setUnreachable(false);
      syncErrors += expectWellFormedErrors(a);
      clients.splice(clients.indexOf(a), 1);
    }
    // The faults did reach sync (and were reported there, as Errors).
    expect(syncErrors).toBeGreaterThan(0);
  });
});
