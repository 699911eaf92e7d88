import react from '@vitejs/plugin-react';
import { offlineAppShell } from '@offgrid/todo-shared/vite';
import { defineConfig } from 'vite';

// A relative base, so the built `dist` can be served from any path (`pnpm demo`, the e2e suite).
export default defineConfig({
  base: './',
  plugins: [react(), offlineAppShell()],
  build: { target: 'es2022' },
  // `?storage=opfs`: SQLite's WebAssembly finds its .wasm beside its module only when Vite does not pre-bundle it.
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  worker: { format: 'es' },
});
