import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, eventually, settled, startServer, type RunningServer, type TestClient } from './harness';

// Node 20 has no global WebSocket. A store made without `webSocketImpl` must still get live changes there
// (core brings `ws` under the `node` condition); on Node 22+ the global one is hidden to check the same path.
describe.each([
  ['as Node gives it', false],
  ['with no global WebSocket (Node 20)', true],
] as const)('sync on Node without webSocketImpl, %s', (_label, hideGlobal) => {
  let server: RunningServer;
  const clients: TestClient[] = [];
  let saved: PropertyDescriptor | undefined;
  beforeAll(async () => {
    server = await startServer('sqlite');
    if (hideGlobal) {
      saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
      if (saved) delete (globalThis as { WebSocket?: unknown }).WebSocket;
    }
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.store.close()));
  });
  afterAll(async () => {
    if (saved) Object.defineProperty(globalThis, 'WebSocket', saved);
    await server.close();
  });

  it('a change made on the server arrives live, and a local save is pushed', async () => {
    if (hideGlobal) expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket).toBe('undefined');
    const client = createClient(server.graphqlUrl, { sync: { webSocketImpl: undefined } });
    clients.push(client);
    await client.store.start();
    await settled(client);
    const { Todo } = client.store.models;
    await client.store.save(new Todo({ id: 'node-ws-local', title: 'pushed' }));
    await eventually(async () => (await server.gql('query { getTodo(id: "node-ws-local") { title } }')).data.getTodo?.title === 'pushed');
    await server.gql('mutation { createTodo(input: { id: "node-ws-remote", title: "live" }) { id } }');
    await eventually(async () => (await client.store.query(Todo, 'node-ws-remote'))?.title === 'live', 10_000, 'the live change');
    expect(client.events.some((e) => e.event === 'subscriptionsEstablished')).toBe(true);
  });
});
