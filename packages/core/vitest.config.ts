import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumBrowser } from '../../vitest.chromium';

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
          browser: chromiumBrowser(playwright),
        },
      },
    ],
  },
});
