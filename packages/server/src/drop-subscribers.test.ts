import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, waitForSubscriptions, wsClient } from './test-support/graphql-ws-client';
import { startTestServer, TEST_API_KEY, type TestServer } from './test-support/test-server';

describe('dropSubscribers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('closes every subscriber socket with 1012 (service restart) so clients reconnect and re-sync', async () => {
    const client = wsClient(t.url, { 'x-api-key': TEST_API_KEY });
    const sub = subscribe(client, 'subscription { onCreateTodo { id } }');
    await waitForSubscriptions(t.url, 1);
    await t.gql('mutation { createTodo(input: { id: "before", title: "x" }) { id } }');
    expect((await sub.nth(1)).data.onCreateTodo.id).toBe('before');
    t.server.dropSubscribers('test');
    const ended = (await sub.ended) as { code?: number };
    expect(ended.code).toBe(1012);
    sub.dispose();
    await client.dispose();
  });
});
