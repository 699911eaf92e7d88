import { defineConfig } from 'vitest/config';

export default defineConfig({
  // pnpm pack and attw (which loads TypeScript) per package: seconds each on a loaded machine. Two attw runs at
  // a time, one per core.
  test: { include: ['src/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000, maxConcurrency: 2 },
});
