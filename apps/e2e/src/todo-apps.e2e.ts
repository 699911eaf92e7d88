import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchChromium } from './support/browser';
import type { AppName, ServedApp } from './support/context';
import { SyncServer } from './support/server';
import { Session } from './support/session';
import type { ShownTodo, TodoPage } from './support/todo-page';

const e2e = inject('e2e');
const server = new SyncServer(e2e.graphqlUrl);
const ARTIFACTS = resolve(__dirname, '../artifacts');

/** Long enough for a reconnect with backoff; a healthy app takes well under a second. */
const SYNC = { timeout: 15_000, interval: 100 };
/** For what happens locally (a click, a reload). */
const LOCAL = { timeout: 5_000, interval: 50 };

const ORDER: AppName[] = ['react', 'vue', 'angular', 'svelte'];
const served = ORDER.map((name) => e2e.apps.find((a) => a.name === name)).filter((a): a is ServedApp => !!a);

/** The app on the other side in the two-app scenarios: the next one in turn, so each app is on each side once. */
function partnerOf(app: ServedApp): ServedApp {
  return served[(served.indexOf(app) + 1) % served.length]!;
}

/** What the scenarios compare: id, title and done, sorted by id. */
const shape = (todos: Array<Pick<ShownTodo, 'id' | 'title' | 'done'>>) =>
  todos.map(({ id, title, done }) => ({ id, title, done })).sort((a, b) => a.id.localeCompare(b.id));

let browser: Browser;
let runs = 0;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Scenario 1: create, rename, complete, delete; the filters; a reload keeps it all; it all reaches the server. */
async function createEditAndReload(s: Session, app: ServedApp, name: string): Promise<TodoPage> {
  const t = s.tag;
  const context = await s.context();
  const page = await s.open(context, app, s.db());
  expect((await page.framework()).toLowerCase(), 'the framework badge names the framework').toContain(name);

  const milk = await page.add(`Buy milk ${t}`);
  const dog = await page.add(`Walk the dog ${t}`);
  const mum = await page.add(`Call mum ${t}`);
  await page.rename(milk, `Buy oat milk ${t}`);
  await page.toggle(dog);
  await page.remove(mum);

  const expected = shape([
    { id: milk, title: `Buy oat milk ${t}`, done: false },
    { id: dog, title: `Walk the dog ${t}`, done: true },
  ]);
  await expect.poll(async () => shape(await page.todosTitled(t)), LOCAL).toEqual(expected);
  await page.screenshot(join(ARTIFACTS, `${name}${app.query?.storage ? `-${app.query.storage}` : ''}.png`));

  // The filters show the right subset.
  await page.page.getByTestId('filter-done').click();
  await expect.poll(async () => (await page.todosTitled(t)).map((x) => x.id), LOCAL).toEqual([dog]);
  await page.page.getByTestId('filter-active').click();
  await expect.poll(async () => (await page.todosTitled(t)).map((x) => x.id), LOCAL).toEqual([milk]);
  await page.page.getByTestId('filter-all').click();
  await expect.poll(async () => shape(await page.todosTitled(t)), LOCAL).toEqual(expected);

  await page.reload();
  await expect.poll(async () => shape(await page.todosTitled(t)), LOCAL).toEqual(expected);

  // And it all reached the server.
  await expect.poll(async () => shape((await server.todosTitled(t)).map((x) => ({ ...x }))), SYNC).toEqual(expected);
  await expect.poll(() => page.pendingCount(), SYNC).toBe(0);
  return page;
}

/** Scenario 5: two tabs of one app share one store; one leads sync, and closing it hands over. */
async function twoTabsShareOneStore(s: Session, app: ServedApp): Promise<void> {
  const t = s.tag;
  const context = await s.context();
  const db = s.db();
  const first = await s.open(context, app, db);
  await expect.poll(() => first.networkState(), SYNC).toBe('online');
  const graphqlSockets = (p: TodoPage) => s.socketsOpenedBy(p.page).filter((u) => u.includes('/graphql'));
  await expect.poll(() => graphqlSockets(first).length, SYNC).toBeGreaterThan(0);

  const second = await s.open(context, app, db);

  const one = await first.add(`Typed in tab one ${t}`);
  await expect.poll(() => second.todo(one), SYNC).toMatchObject({ title: `Typed in tab one ${t}` });

  const two = await second.add(`Typed in tab two ${t}`);
  await expect.poll(() => first.todo(two), SYNC).toMatchObject({ title: `Typed in tab two ${t}` });
  await expect.poll(() => server.todo(two), SYNC).toMatchObject({ title: `Typed in tab two ${t}` });
  await expect.poll(() => second.pendingCount(), SYNC).toBe(0);

  const listID = (await server.todo(one))?.listID;
  expect(listID, 'the todo reached the server with its list').toBeTruthy();
  const fromServer = await server.createTodo({ title: `Written on the server ${t}`, listID: listID! });
  await expect.poll(() => first.todo(fromServer.id), SYNC).toMatchObject({ title: `Written on the server ${t}` });
  await expect.poll(() => second.todo(fromServer.id), SYNC).toMatchObject({ title: `Written on the server ${t}` });

  expect(graphqlSockets(second), 'only the leading tab talks to the server').toEqual([]);

  // The leader goes away; the second tab takes the lock and syncs on its own.
  await first.page.close();
  const afterHandover = await server.createTodo({ title: `After the handover ${t}`, listID: listID! });
  await expect.poll(() => second.todo(afterHandover.id), SYNC).toMatchObject({ title: `After the handover ${t}` });
  expect(graphqlSockets(second).length, 'the new leader connects').toBeGreaterThan(0);

  const three = await second.add(`Typed after the handover ${t}`);
  await expect.poll(() => server.todo(three), SYNC).toMatchObject({ title: `Typed after the handover ${t}` });
  await expect.poll(() => second.pendingCount(), SYNC).toBe(0);
  await expect.poll(() => second.todo(three), SYNC).toMatchObject({ pending: false });
}

describe.each(ORDER.map((name) => ({ name, app: served.find((a) => a.name === name) })))('$name app', ({ name, app }) => {
  let s: Session;

  beforeEach(() => {
    s = new Session(browser, e2e.graphqlUrl, `${name}-${++runs}-${Date.now().toString(36)}`);
  });

  afterEach(async () => {
    const ignored = s.ignoredAdds();
    if (ignored.length > 0) {
      console.warn(`[e2e] ${name}: the app ignored an add and the scenario pressed Add again (the 'adds at once' test covers this): ${ignored.join(', ')}`);
    }
    const errors = s.consoleErrors();
    await s.close();
    expect(errors, 'the pages logged console errors or threw').toEqual([]);
  });

  describe.skipIf(!app)('against a real offgrid serve', () => {
    const the = () => app!;

    it('creates, renames, completes and deletes; the list survives a reload (IndexedDB)', async () => {
      await createEditAndReload(s, the(), name);
    });

    it('keeps a todo added the moment the app lets you press Add', async () => {
      // A quick user: types and presses Add as soon as the input is there and the button is enabled. A script
      // in the page does it at the first such moment, so the outcome does not depend on the machine's speed.
      const t = s.tag;
      const title = `Typed at once ${t}`;
      const context = await s.context();
      await context.addInitScript(
        ({ title, input, button }) => {
          let done = false;
          const tryAdd = () => {
            const field = document.querySelector<HTMLInputElement>(`[data-testid="${input}"]`);
            const add = document.querySelector<HTMLButtonElement>(`[data-testid="${button}"]`);
            if (done || !field || !add || add.disabled) return;
            done = true;
            Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(field, title);
            field.dispatchEvent(new Event('input', { bubbles: true }));
            // One task later, as a user's click would come: every framework has seen the input by then.
            setTimeout(() => add.click(), 0);
          };
          new MutationObserver(tryAdd).observe(document, { childList: true, subtree: true, attributes: true });
        },
        { title, input: 'new-todo-input', button: 'add-todo-button' },
      );
      const page = await s.open(context, the(), s.db());
      await expect
        .poll(async () => (await page.todosTitled(title)).length, { ...LOCAL, message: `"${title}" was submitted and must show (the app dropped it; input now: ${JSON.stringify(await page.page.getByTestId('new-todo-input').inputValue().catch(() => null))})` })
        .toBe(1);
      const id = (await page.todosTitled(title))[0]!.id;
      await expect.poll(() => server.todo(id), SYNC).toMatchObject({ title, done: false });
    });

    it('works offline: edits show as pending, survive an offline reload, and reach the server back online', async () => {
      const t = s.tag;
      const context = await s.context();
      const page = await s.open(context, the(), s.db());
      await expect.poll(() => page.networkState(), SYNC).toBe('online');

      const early = await page.add(`Synced before going offline ${t}`);
      await expect.poll(() => server.todo(early), SYNC).toMatchObject({ title: `Synced before going offline ${t}`, done: false });
      await expect.poll(() => page.pendingCount(), SYNC).toBe(0);

      // Offline for real: the browser context has no network at all. The app's service worker has its files.
      await expect.poll(() => page.servedByWorker(), { ...SYNC, message: 'the service worker took control of the page' }).toBe(true);
      await s.goOffline(context);
      await expect.poll(() => page.networkState(), LOCAL).toBe('offline');

      const late = await page.add(`Written offline ${t}`);
      await page.rename(early, `Renamed offline ${t}`);
      await page.toggle(early);
      await expect.poll(() => page.todo(early), LOCAL).toMatchObject({ title: `Renamed offline ${t}`, done: true, pending: true });
      await expect.poll(() => page.todo(late), LOCAL).toMatchObject({ title: `Written offline ${t}`, done: false, pending: true });
      await expect.poll(() => page.pendingCount(), LOCAL).toBeGreaterThan(0);
      expect(await server.todo(late), 'nothing reached the server while offline').toBeUndefined();
      expect(await server.todo(early)).toMatchObject({ title: `Synced before going offline ${t}`, done: false });

      // Reload while still offline: the service worker serves the app, IndexedDB keeps the edits and the outbox.
      await page.reload();
      expect(await page.servedByWorker(), 'the offline reload came from the service worker').toBe(true);
      await expect.poll(() => page.networkState(), LOCAL).toBe('offline');
      await expect.poll(() => page.todo(early), LOCAL).toMatchObject({ title: `Renamed offline ${t}`, done: true, pending: true });
      await expect.poll(() => page.todo(late), LOCAL).toMatchObject({ title: `Written offline ${t}`, done: false, pending: true });
      await expect.poll(() => page.pendingCount(), LOCAL).toBeGreaterThan(0);

      // Back online: the changes reach the server and the indicator clears.
      await s.goOnline(context);
      await expect.poll(() => server.todo(late), SYNC).toMatchObject({ title: `Written offline ${t}`, done: false, _deleted: false });
      await expect.poll(() => server.todo(early), SYNC).toMatchObject({ title: `Renamed offline ${t}`, done: true });
      await expect.poll(() => page.pendingCount(), SYNC).toBe(0);
      await expect.poll(() => page.networkState(), SYNC).toBe('online');
      await expect.poll(async () => (await page.todosTitled(t)).some((x) => x.pending), SYNC).toBe(false);
    });

    it('shows changes live between two browsers running two different apps', async () => {
      const t = s.tag;
      const other = partnerOf(the());
      const a = await s.open(await s.context(), the(), s.db('a'));
      const b = await s.open(await s.context(), other, s.db('b'));
      await expect.poll(() => a.networkState(), SYNC).toBe('online');
      await expect.poll(() => b.networkState(), SYNC).toBe('online');

      const fromA = await a.add(`From ${the().label} ${t}`);
      await expect.poll(() => b.todo(fromA), SYNC).toMatchObject({ title: `From ${the().label} ${t}`, done: false });

      await b.rename(fromA, `Renamed in ${other.label} ${t}`);
      await expect.poll(() => a.todo(fromA), SYNC).toMatchObject({ title: `Renamed in ${other.label} ${t}` });

      const fromB = await b.add(`From ${other.label} ${t}`);
      await expect.poll(() => a.todo(fromB), SYNC).toMatchObject({ title: `From ${other.label} ${t}`, done: false });

      await a.toggle(fromB);
      await expect.poll(() => b.todo(fromB), SYNC).toMatchObject({ done: true });

      await b.remove(fromA);
      await expect.poll(() => a.todo(fromA), SYNC).toBeUndefined();

      await expect.poll(async () => shape(await a.todosTitled(t)), SYNC).toEqual(shape(await b.todosTitled(t)));
    });

    it('resolves a conflict (one side offline) with AUTOMERGE, and both sides end equal', async () => {
      const t = s.tag;
      const other = partnerOf(the());
      const contextB = await s.context();
      const a = await s.open(await s.context(), the(), s.db('a'));
      const b = await s.open(contextB, other, s.db('b'));

      const id = await a.add(`Shared ${t}`);
      await expect.poll(() => b.todo(id), SYNC).toMatchObject({ title: `Shared ${t}`, done: false, pending: false });
      await expect.poll(() => server.todo(id), SYNC).toMatchObject({ _version: 1 });

      await s.goOffline(contextB);
      await expect.poll(() => b.networkState(), LOCAL).toBe('offline');

      // Online, A renames. Offline, B renames the same todo and completes it.
      await a.rename(id, `Title from ${the().label} ${t}`);
      await expect.poll(() => server.todo(id), SYNC).toMatchObject({ title: `Title from ${the().label} ${t}`, _version: 2 });
      await b.rename(id, `Title from ${other.label} ${t}`);
      await b.toggle(id);
      await expect.poll(() => b.todo(id), LOCAL).toMatchObject({ title: `Title from ${other.label} ${t}`, done: true, pending: true });

      await s.goOnline(contextB);
      await expect.poll(() => b.pendingCount(), SYNC).toBe(0);

      // Both DOMs and the server agree...
      const agreed = async () => {
        const [onServer, inA, inB] = await Promise.all([server.todo(id), a.todo(id), b.todo(id)]);
        const pick = (x?: { title: string; done: boolean }) => (x ? { title: x.title, done: x.done } : undefined);
        return { server: pick(onServer), a: pick(inA), b: pick(inB) };
      };
      await expect
        .poll(async () => {
          const seen = await agreed();
          return JSON.stringify(seen.a) === JSON.stringify(seen.server) && JSON.stringify(seen.b) === JSON.stringify(seen.server) ? seen.server : seen;
        }, SYNC)
        // ...on AUTOMERGE's answer: the title both changed follows the default SERVER_WINS rule (A reached the
        // server first); `done`, which only B changed, is B's.
        .toEqual({ title: `Title from ${the().label} ${t}`, done: true });
    });

    it('keeps two tabs of one app current; one tab leads sync, and closing it hands over', async () => {
      await twoTabsShareOneStore(s, the());
    });
  });
});

// The React app on SQLite in OPFS (`?storage=opfs`) instead of IndexedDB: the same reload and two-tabs scenarios.
const reactApp = served.find((a) => a.name === 'react');
const reactOnOpfs: ServedApp | undefined = reactApp && { ...reactApp, label: `${reactApp.label} on OPFS`, query: { storage: 'opfs' } };

/** What the page keeps where: the SQLite files in OPFS, and the IndexedDB databases. */
async function localStorageOf(page: TodoPage): Promise<{ opfs: string[]; indexedDB: string[] }> {
  return page.page.evaluate(async () => {
    const opfs: string[] = [];
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('.offgrid-opfs').catch(() => undefined);
    // biome-ignore lint/suspicious/noExplicitAny: entries() is missing from TypeScript's DOM typings
    if (dir) for await (const [name] of (dir as any).entries() as AsyncIterable<[string]>) opfs.push(name);
    const indexedDB = (await globalThis.indexedDB.databases()).map((d) => d.name ?? '');
    return { opfs, indexedDB };
  });
}

describe.skipIf(!reactOnOpfs)('react app on SQLite in OPFS (?storage=opfs)', () => {
  let s: Session;

  beforeEach(() => {
    s = new Session(browser, e2e.graphqlUrl, `react-opfs-${++runs}-${Date.now().toString(36)}`);
  });

  afterEach(async () => {
    const errors = s.consoleErrors();
    await s.close();
    expect(errors, 'the pages logged console errors or threw').toEqual([]);
  });

  it('creates, renames, completes and deletes; the list survives a reload (SQLite on OPFS)', async () => {
    const page = await createEditAndReload(s, reactOnOpfs!, 'react');
    const kept = await localStorageOf(page);
    expect(kept.opfs, 'the data is in a SQLite file in OPFS').toContain(`${page.db}.sqlite3`);
    expect(kept.indexedDB, 'and not in IndexedDB').not.toContain(page.db);
  });

  it('keeps two tabs current on one OPFS database; one tab leads sync, and closing it hands over', async () => {
    await twoTabsShareOneStore(s, reactOnOpfs!);
  });
});

describe('setup', () => {
  it('serves every app, or was told it may skip', () => {
    if (e2e.missing.length > 0) {
      console.warn(`[e2e] SKIPPED (no build): ${e2e.missing.map((m) => m.label).join(', ')}`);
    }
    expect(e2e.apps.length + e2e.missing.length).toBeGreaterThan(0);
  });
});
