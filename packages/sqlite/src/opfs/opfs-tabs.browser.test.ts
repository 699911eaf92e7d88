import { afterEach, describe, expect, it } from 'vitest';
import { openOpfsDriver } from '../opfs';
import type { OpfsDriver, OpfsEvent } from './opfs-driver';
import { OpfsOwnerGoneError } from './opfs-errors';

// Tabs sharing one database: each driver here is one tab's connection (several can live in one page, as they
// would in several tabs: they only meet through Web Locks and BroadcastChannel). A worker stands in for a tab
// that dies without closing.
const file = () => `tabs-${crypto.randomUUID().slice(0, 8)}.db`;
const open: OpfsDriver[] = [];
const others: Worker[] = [];

async function tab(name: string, events: OpfsEvent[] = []): Promise<OpfsDriver> {
  const driver = await openOpfsDriver({ file: name, onEvent: (e) => events.push(e) });
  open.push(driver);
  return driver;
}

function otherTab() {
  const worker = new Worker(new URL('./other-tab.fixture-worker.ts', import.meta.url), { type: 'module' });
  others.push(worker);
  const call = (message: unknown) =>
    new Promise<{ ok: boolean; owner?: boolean; rows?: unknown[]; error?: string }>((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.postMessage(message);
    });
  return { open: (name: string) => call({ cmd: 'open', file: name }), sql: (sql: string) => call({ cmd: 'sql', sql }), kill: () => worker.terminate() };
}

const rows = (driver: OpfsDriver, sql: string) => driver.prepare(sql).all();

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(async () => {
  for (const w of others.splice(0)) w.terminate();
  await Promise.all(open.splice(0).map((d) => d.close()));
});

describe('SQLite on OPFS across tabs', () => {
  it('the first tab serves the database and a second one reads and writes through it', async () => {
    const name = file();
    const aEvents: OpfsEvent[] = [];
    const bEvents: OpfsEvent[] = [];
    const a = await tab(name, aEvents);
    const b = await tab(name, bEvents);
    expect([a.isOwner, b.isOwner]).toEqual([true, false]);
    expect(aEvents.map((e) => e.type)).toEqual(['owner']);
    expect(bEvents.map((e) => e.type)).toEqual(['follower']);

    await a.exec('CREATE TABLE t (v TEXT)');
    await b.prepare('INSERT INTO t VALUES (?)').run('from b');
    await a.prepare('INSERT INTO t VALUES (?)').run('from a');
    expect(await rows(b, 'SELECT v FROM t ORDER BY v')).toEqual([{ v: 'from a' }, { v: 'from b' }]);
  });

  it("a follower's transaction is all-or-nothing and others wait for it", async () => {
    const name = file();
    const a = await tab(name);
    const b = await tab(name);
    await a.exec('CREATE TABLE t (v TEXT)');
    await b.exec('BEGIN IMMEDIATE');
    await b.prepare('INSERT INTO t VALUES (?)').run('uncommitted');
    const aRead = rows(a, 'SELECT count(*) AS n FROM t');
    await b.exec('ROLLBACK');
    expect(await aRead).toEqual([{ n: 0 }]);
  });

  it('when the serving tab closes, the next tab takes over with the data', async () => {
    const name = file();
    const a = await tab(name);
    const bEvents: OpfsEvent[] = [];
    const b = await tab(name, bEvents);
    await a.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')");
    await a.close();
    expect(await rows(b, 'SELECT v FROM t')).toEqual([{ v: 'kept' }]);
    expect(b.isOwner).toBe(true);
    expect(bEvents.map((e) => e.type)).toEqual(['follower', 'owner']);
  });

  it('tabs opening and closing quickly never deadlock and never lose a committed row', async () => {
    const name = file();
    const first = await tab(name);
    await first.exec('CREATE TABLE t (v INTEGER)');
    let committed = 0;
    const churn = Array.from({ length: 8 }, async (_, i) => {
      const d = await openOpfsDriver({ file: name });
      try {
        await d.prepare('INSERT INTO t VALUES (?)').run(i);
        committed++;
      } catch (error) {
        // Only the owner leaving mid-statement may refuse a write, and then nothing of it was written.
        expect(error).toBeInstanceOf(OpfsOwnerGoneError);
      } finally {
        await d.close();
      }
    });
    await first.close();
    await Promise.all(churn);
    const last = await tab(name);
    expect(await rows(last, 'SELECT count(*) AS n FROM t')).toEqual([{ n: committed }]);
    expect(committed).toBeGreaterThan(0);
  });

  it('a tab that dies mid-transaction is rolled back and does not block the others', async () => {
    const name = file();
    const a = await tab(name);
    await a.exec('CREATE TABLE t (v TEXT)');
    const other = otherTab();
    expect(await other.open(name)).toMatchObject({ ok: true, owner: false });
    expect(await other.sql('BEGIN IMMEDIATE')).toMatchObject({ ok: true });
    expect(await other.sql("INSERT INTO t VALUES ('never committed')")).toMatchObject({ ok: true });
    other.kill();
    await a.prepare('INSERT INTO t VALUES (?)').run('after');
    expect(await rows(a, 'SELECT v FROM t')).toEqual([{ v: 'after' }]);
  });

  it('when the serving tab dies, a transaction begun through it fails cleanly and the next tab serves', async () => {
    const name = file();
    const other = otherTab();
    expect(await other.open(name)).toMatchObject({ ok: true, owner: true });
    expect(await other.sql('CREATE TABLE t (v TEXT)')).toMatchObject({ ok: true });
    const events: OpfsEvent[] = [];
    const b = await tab(name, events);
    await b.exec('BEGIN IMMEDIATE');
    await b.prepare('INSERT INTO t VALUES (?)').run('lost with the owner');
    other.kill();
    await until(() => b.isOwner, 'the surviving tab to take over');
    await expect(b.prepare('INSERT INTO t VALUES (?)').run('outside the transaction')).rejects.toBeInstanceOf(OpfsOwnerGoneError);
    await b.exec('ROLLBACK');
    await b.prepare('INSERT INTO t VALUES (?)').run('after');
    expect(await rows(b, 'SELECT v FROM t')).toEqual([{ v: 'after' }]);
    expect(events.map((e) => e.type)).toEqual(['follower', 'owner']);
  });
});
