import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    external: ['better-sqlite3'],
  },
  {
    // Browser-only: SQLite on OPFS and its worker. `opfs.js` starts `./opfs-worker.js` by a relative URL,
    // so both stay side by side in dist.
    entry: { opfs: 'src/opfs.ts', 'opfs-worker': 'src/opfs-worker.ts' },
    format: ['esm'],
    platform: 'browser',
    dts: true,
    sourcemap: true,
    external: ['@sqlite.org/sqlite-wasm'],
  },
]);
