import { defineConfig } from 'tsup';

// Not bundled: each source file becomes its own module, so `create-query.svelte.ts` ships as
// `create-query.svelte.js` with its runes intact, for the app's Svelte compiler to compile (as
// @sveltejs/package does). Runes compiled here would tie the output to this build's Svelte version.
export default defineConfig({
  entry: ['src/**/*.ts', '!src/**/__tests__/**', '!src/**/*.test.ts', '!src/**/*.test-d.ts'],
  bundle: false,
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  external: ['svelte', '@offgrid/core'],
});
