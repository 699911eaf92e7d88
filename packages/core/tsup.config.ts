import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', amplify: 'src/amplify.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    // Resolved at run time through package.json `imports`, so Node gets `ws` and browser bundles do not.
    external: ['#websocket'],
  },
  {
    entry: { 'websocket-node': 'src/websocket/default-websocket.node.ts', 'websocket-browser': 'src/websocket/default-websocket.ts' },
    format: ['esm', 'cjs'],
    sourcemap: true,
  },
  {
    entry: { testing: 'src/testing.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    external: ['vitest', 'fast-check', '@offgrid/core'],
  },
]);
