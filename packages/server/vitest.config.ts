import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // graphql ships ESM (`module`) and CJS (`main`) builds. Vite resolves our imports to the ESM one while
    // Node, loading an external graphql-ws, would resolve graphql-ws's to the CJS one: two graphql realms,
    // and graphql-ws refuses the server's schema ("from another module or realm"). Inlining graphql-ws
    // makes its imports resolve like ours. (Built code runs on Node alone and has one realm.)
    server: { deps: { inline: ['graphql-ws'] } },
  },
});
