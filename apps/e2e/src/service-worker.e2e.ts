import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serveDir } from '../../../scripts/demo-lib.mjs';
import { launchChromium } from './support/browser';
import { TodoPage } from './support/todo-page';

// The offline scenario (todo-apps.e2e.ts) shows the service worker serving a build. This shows it does not
// outlive the build: on an origin where a build's worker is installed, the development server takes over, so a
// developer never keeps running old code. The worker comes from one plugin shared by the four apps
// (`offlineAppShell()` in apps/todo-shared/vite), so one app stands for all four.
const e2e = inject('e2e');
const react = e2e.apps.find((a) => a.name === 'react' && !a.query);
const APP_DIR = resolve(__dirname, '../../todo-react');

interface DevServer {
  listen(): Promise<unknown>;
  close(): Promise<void>;
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!react)("the demo apps' service worker", () => {
  it('gives way to the development server on the same origin', async () => {
    // The build, on a port of its own; a page loads it and its worker takes control.
    const site = await serveDir(react!.dist, { port: 0 });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const url = TodoPage.url({ ...react!, url: site.url }, e2e.graphqlUrl, `e2e-dev-${Date.now().toString(36)}`);
      await page.goto(url, { waitUntil: 'load' });
      const controlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null);
      await expect.poll(controlled, { timeout: 30_000, interval: 100, message: "the build's service worker took control" }).toBe(true);

      // The development server on the same origin, as `vite --port` would be.
      await site.close();
      // The app's own Vite (this package does not depend on Vite itself).
      const { createServer } = (await import(createRequire(join(APP_DIR, 'package.json')).resolve('vite'))) as { createServer: (config: object) => Promise<DevServer> };
      const dev = await createServer({
        root: APP_DIR,
        configFile: join(APP_DIR, 'vite.config.ts'),
        server: { port: site.port, strictPort: true, host: '127.0.0.1', hmr: false },
        logLevel: 'error',
      });
      await dev.listen();
      try {
        await page.goto(url, { waitUntil: 'load' });
        // The old worker may answer this first load; the browser's update check gets the development server's
        // /sw.js, which unregisters it and reloads the page from the development server.
        const runsDevelopmentCode = () => page.evaluate(() => document.querySelector('script[src="/@vite/client"]') !== null).catch(() => false);
        await expect.poll(runsDevelopmentCode, { timeout: 30_000, interval: 200, message: 'the page runs the development server\'s code' }).toBe(true);
        await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length).catch(() => -1), { timeout: 10_000 }).toBe(0);
        await page.reload({ waitUntil: 'load' });
        expect(await runsDevelopmentCode(), 'a reload stays on the development server').toBe(true);
        expect(await controlled(), 'no service worker in development').toBe(false);
      } finally {
        await dev.close();
      }
    } finally {
      await context.close();
      await site.close().catch(() => {});
    }
  });
});
