import angular from '@analogjs/vite-plugin-angular';
import { offlineAppShell } from '@offgrid/todo-shared/vite';
import { defineConfig } from 'vite';

// A relative base, so the built `dist` can be served from any path (`pnpm demo`, the e2e suite).
export default defineConfig({
  base: './',
  plugins: [angular({ tsconfig: 'tsconfig.app.json' }), offlineAppShell()],
  build: { target: 'es2022' },
});
