import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // Load the built packages with Node itself: if Vite inlined them it would resolve `graphql` to its ESM
    // build while graphql-ws loads the CommonJS one, and graphql refuses schemas from "another realm".
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
  },
});
