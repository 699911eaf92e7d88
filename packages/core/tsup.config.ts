import { defineConfig } from 'tsup';

export default defineConfig([
  { entry: { index: 'src/index.ts', amplify: 'src/amplify.ts' }, format: ['esm', 'cjs'], dts: true, clean: true, sourcemap: true },
  {
    entry: { testing: 'src/testing.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    external: ['vitest', 'fast-check', '@offgrid/core'],
  },
]);
