import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ServedApp } from './context';
import { TodoPage } from './todo-page';

/** Browser-generated messages for requests that fail because the test took the network away. */
const OFFLINE_NOISE = [
  /^Failed to load resource: net::ERR_(INTERNET_DISCONNECTED|NETWORK_CHANGED|FAILED|CONNECTION_REFUSED|CONNECTION_RESET|ABORTED)/,
  /^WebSocket connection to '.*' failed/,
];

interface Logged {
  where: string;
  text: string;
  /** Only acceptable because the context was offline at some point. */
  offlineNoise: boolean;
}

/**
 * Everything one test opens: browser contexts (each a fresh profile: its own IndexedDB), their pages, and
 * what those pages logged. `close()` tears it all down; `consoleErrors()` is what the test must not have.
 */
export class Session {
  private readonly contexts: BrowserContext[] = [];
  private readonly wentOffline = new WeakSet<BrowserContext>();
  private readonly logged: Logged[] = [];
  private readonly sockets = new WeakMap<Page, string[]>();
  private counter = 0;
  private readonly pages: TodoPage[] = [];

  constructor(
    private readonly browser: Browser,
    readonly graphqlUrl: string,
    /** Unique per test; used to name IndexedDB databases and titles. */
    readonly tag: string,
  ) {}

  async context(): Promise<BrowserContext> {
    const context = await this.browser.newContext({ viewport: { width: 1000, height: 800 } });
    context.setDefaultTimeout(10_000);
    this.contexts.push(context);
    return context;
  }

  /** A database name unique to this test (and to `suffix` within it). */
  db(suffix = ''): string {
    return `e2e-${this.tag}${suffix ? `-${suffix}` : ''}`;
  }

  /** Opens an app in a new page of `context` on this test's server and waits until it is ready. */
  async open(context: BrowserContext, app: ServedApp, db: string): Promise<TodoPage> {
    const page = await context.newPage();
    this.watch(page, `${app.label}#${++this.counter}`);
    await page.goto(TodoPage.url(app, this.graphqlUrl, db), { waitUntil: 'load' });
    const todo = new TodoPage(page, app, db);
    this.pages.push(todo);
    await todo.ready();
    return todo;
  }

  private watch(page: Page, where: string): void {
    const context = page.context();
    page.on('dialog', (dialog) => void dialog.accept());
    const sockets: string[] = [];
    this.sockets.set(page, sockets);
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const url = message.location()?.url ?? '';
      // Chromium asks for /favicon.ico by itself; a 404 there is the browser's, not the app's.
      if (url.endsWith('/favicon.ico') && /status of 404/.test(text)) return;
      const offlineNoise = this.wentOffline.has(context) && OFFLINE_NOISE.some((re) => re.test(text));
      this.logged.push({ where, text: url ? `${text} (${url})` : text, offlineNoise });
    });
    page.on('pageerror', (error) => {
      this.logged.push({ where, text: `uncaught: ${error.stack ?? error.message}`, offlineNoise: false });
    });
  }

  /** The WebSocket URLs a page has opened so far (a tab that leads sync opens one to the server). */
  socketsOpenedBy(page: Page): string[] {
    return [...(this.sockets.get(page) ?? [])];
  }

  /** `context.setOffline(true)`: requests fail, `navigator.onLine` is false, `offline` fires. */
  async goOffline(context: BrowserContext): Promise<void> {
    this.wentOffline.add(context);
    await context.setOffline(true);
  }

  async goOnline(context: BrowserContext): Promise<void> {
    await context.setOffline(false);
  }

  /** Console errors and uncaught exceptions, except network failures the test caused by going offline. */
  consoleErrors(): string[] {
    return this.logged.filter((l) => !l.offlineNoise).map((l) => `[${l.where}] ${l.text}`);
  }

  /** Adds an app ignored before the scenario retried them, per page. */
  ignoredAdds(): string[] {
    return this.pages.flatMap((p) => p.ignoredAdds.map((title) => `${p.app.label}: "${title}"`));
  }

  /** Everything logged as an error, offline noise included (for failure messages). */
  allLogged(): string[] {
    return this.logged.map((l) => `[${l.where}]${l.offlineNoise ? ' (offline)' : ''} ${l.text}`);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.contexts.splice(0).map((c) => c.close()));
  }
}
