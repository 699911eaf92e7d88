import { defineConfig } from 'vitest/config';

export default defineConfig({
  // npm install, tsc, vite build and a real server: minutes, not seconds.
  test: { include: ['src/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 900_000 },
});
