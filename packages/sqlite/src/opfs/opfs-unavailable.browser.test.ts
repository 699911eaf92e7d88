import { expect, it } from 'vitest';
import { createOpfsSqliteAdapter, type OpfsEvent, OpfsUnavailableError } from '../opfs';

it('a worker that cannot start makes opening fail with OpfsUnavailableError and an unavailable event', async () => {
  const broken = URL.createObjectURL(new Blob(['throw new Error("this worker cannot run SQLite")'], { type: 'text/javascript' }));
  const events: OpfsEvent[] = [];
  const storage = createOpfsSqliteAdapter({
    file: `broken-${crypto.randomUUID().slice(0, 8)}.db`,
    worker: () => new Worker(broken, { type: 'module' }),
    onEvent: (e) => events.push(e),
  });
  const error = await storage.open().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpfsUnavailableError);
  expect(events.map((e) => e.type)).toEqual(['unavailable']);
  await storage.close();
});
