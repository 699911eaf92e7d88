import type { BrowserContext, Locator, Page } from 'playwright-core';
import { TEST_IDS } from '../../../todo-shared/src/dom-contract';
import type { ServedApp } from './context';

/** One todo as an app shows it (read through the DOM contract only). */
export interface ShownTodo {
  id: string;
  title: string;
  done: boolean;
  pending: boolean;
}

const byTestId = (id: string) => `[data-testid="${id}"]`;

/**
 * Drives one demo app through the shared DOM contract (`apps/todo-shared/src/dom-contract.ts`), so the
 * same scenario runs against React, Vue, Angular and Svelte. Nothing here knows which framework it is.
 */
export class TodoPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
    readonly db: string,
  ) {}

  /** The app's URL for a sync server and a local database name. */
  static url(app: ServedApp, graphqlUrl: string, db: string): string {
    const params = new URLSearchParams({ server: graphqlUrl, db, ...app.query });
    return `${app.url}?${params.toString()}`;
  }

  get context(): BrowserContext {
    return this.page.context();
  }

  /** Waits until the app has rendered and a todo can be typed. */
  async ready(): Promise<void> {
    await this.page.locator(byTestId(TEST_IDS.app)).waitFor({ state: 'visible' });
    await this.page.locator(byTestId(TEST_IDS.newTodoInput)).waitFor({ state: 'visible' });
  }

  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'load' });
    await this.ready();
  }

  /**
   * Whether a service worker controls the page. The app's worker takes control once it has precached the app
   * shell, so from then on the page loads with no network.
   */
  async servedByWorker(): Promise<boolean> {
    return this.page.evaluate(() => navigator.serviceWorker?.controller != null);
  }

  /** The `framework` badge's text. */
  async framework(): Promise<string> {
    return ((await this.page.locator(byTestId(TEST_IDS.framework)).first().textContent()) ?? '').trim();
  }

  /** `online` / `offline`, from the network badge's `data-state`. */
  async networkState(): Promise<string | null> {
    return this.page.locator(byTestId(TEST_IDS.networkStatus)).first().getAttribute('data-state');
  }

  /** The pending badge's count (its text; the first integer in it, 0 when it shows none). */
  async pendingCount(): Promise<number> {
    const badge = this.page.locator(byTestId(TEST_IDS.pendingCount)).first();
    if ((await badge.count()) === 0) return 0;
    const text = (await badge.textContent()) ?? '';
    const m = /\d+/.exec(text);
    return m ? Number(m[0]) : 0;
  }

  /** Every todo the page shows, in order. */
  async todos(): Promise<ShownTodo[]> {
    return this.page.evaluate(
      ({ item, title }) =>
        Array.from(document.querySelectorAll<HTMLElement>(`[data-testid="${item}"]`)).map((el) => {
          const titleEl = el.querySelector<HTMLElement>(`[data-testid="${title}"]`);
          return {
            id: el.dataset.id ?? '',
            title: (titleEl?.textContent ?? '').trim(),
            done: el.dataset.done === 'true',
            pending: el.dataset.pending === 'true',
          };
        }),
      { item: TEST_IDS.todoItem, title: TEST_IDS.todoTitle },
    );
  }

  /** The todo with this id as shown, or undefined when the page does not show it. */
  async todo(id: string): Promise<ShownTodo | undefined> {
    return (await this.todos()).find((t) => t.id === id);
  }

  /** Todos whose title contains `text`. */
  async todosTitled(text: string): Promise<ShownTodo[]> {
    return (await this.todos()).filter((t) => t.title.includes(text));
  }

  item(id: string): Locator {
    return this.page.locator(`${byTestId(TEST_IDS.todoItem)}[data-id="${id}"]`);
  }

  /**
   * Types a title, presses the add button, and returns the new todo's id once it is shown.
   *
   * Some apps enable the add button before they have a list to add to, and then ignore the submit (the text
   * stays in the input, nothing is added). Scenarios that are about something else retry such an ignored
   * submit and record it in `ignoredAdds`; the scenario about adding at once passes `retryIfIgnored: false`.
   */
  async add(title: string, { retryIfIgnored = true } = {}): Promise<string> {
    const input = this.page.locator(byTestId(TEST_IDS.newTodoInput));
    const button = this.page.locator(byTestId(TEST_IDS.addTodoButton));
    await input.fill(title);
    await button.click();
    const started = Date.now();
    let lastSubmit = started;
    for (;;) {
      const found = (await this.todos()).filter((t) => t.title === title);
      if (found.length === 1 && found[0]!.id) return found[0]!.id;
      if (found.length > 1) throw new Error(`${this.app.label}: "${title}" shows ${found.length} times after one add`);
      if (Date.now() - started > 10_000) {
        throw new Error(`${this.app.label}: "${title}" was added but is not shown after 10 s. The page: ${JSON.stringify(await this.describe())}`);
      }
      // Ignored: two seconds on, the text is still in the input and nothing was added.
      if (retryIfIgnored && Date.now() - lastSubmit > 2_000 && (await input.inputValue()) === title) {
        this.ignoredAdds.push(title);
        lastSubmit = Date.now();
        await button.click();
      }
      await this.page.waitForTimeout(50);
    }
  }

  /** Titles whose first submit the app ignored (see {@link add}). */
  readonly ignoredAdds: string[] = [];

  /** Edit, type, save. */
  async rename(id: string, title: string): Promise<void> {
    const item = this.item(id);
    await item.locator(byTestId(TEST_IDS.todoEditButton)).click();
    // The rename input belongs in the item; an app may render it elsewhere while editing.
    let input = item.locator(byTestId(TEST_IDS.todoRenameInput));
    if ((await input.count()) === 0) input = this.page.locator(byTestId(TEST_IDS.todoRenameInput));
    await input.fill(title);
    let save = item.locator(byTestId(TEST_IDS.todoSaveButton));
    if ((await save.count()) === 0) save = this.page.locator(byTestId(TEST_IDS.todoSaveButton));
    await save.click();
  }

  async toggle(id: string): Promise<void> {
    await this.item(id).locator(byTestId(TEST_IDS.todoToggle)).click();
  }

  async remove(id: string): Promise<void> {
    await this.item(id).locator(byTestId(TEST_IDS.todoDeleteButton)).click();
  }

  /** What the page shows, for failure messages. */
  async describe(): Promise<Record<string, unknown>> {
    const select = this.page.locator(byTestId(TEST_IDS.listSelect)).first();
    return {
      network: await this.networkState().catch(() => null),
      pending: await this.pendingCount().catch(() => null),
      newTodoInput: await this.page.locator(byTestId(TEST_IDS.newTodoInput)).inputValue().catch(() => null),
      list: await select.inputValue().catch(() => null),
      lists: await select.locator('option').evaluateAll((os) => os.map((o) => `${(o as HTMLOptionElement).value}=${o.textContent}`)).catch(() => null),
      todos: await this.todos().catch(() => null),
      conflict: await this.page.locator(byTestId(TEST_IDS.conflictNotice)).first().textContent({ timeout: 100 }).catch(() => null),
    };
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
