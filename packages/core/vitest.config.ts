import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// Debian's Chromium, as apps/e2e, the browser bench and @offgrid/sqlite's OPFS suites drive it.
const CHROMIUM = process.env.OFFGRID_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default defineConfig({
  test: {
    projects: [
      {
        // package.json `imports` points at dist; the tests run from source, on Node.
        resolve: { alias: { '#websocket': fileURLToPath(new URL('./src/websocket/default-websocket.node.ts', import.meta.url)) } },
        test: {
          name: 'node',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.browser.test.ts'],
          typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] },
        },
      },
      {
        // The IndexedDB adapter on Chromium's own IndexedDB: the storage and DataStore conformance suites, unchanged.
        resolve: { alias: { '#websocket': fileURLToPath(new URL('./src/websocket/default-websocket.ts', import.meta.url)) } },
        test: {
          name: 'chromium',
          include: ['src/**/*.browser.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
