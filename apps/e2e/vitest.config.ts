import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.e2e.ts'],
    // Builds missing apps, installs Chromium if missing, starts `offgrid serve` and the static servers.
    globalSetup: ['./src/global-setup.ts'],
    // One browser, one sync server, apps one after another: a 2-core machine runs this sequentially.
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Live sync between real processes: a retry would hide a flaky app, so none.
    retry: 0,
  },
});
