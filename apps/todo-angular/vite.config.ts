import angular from '@analogjs/vite-plugin-angular';
import { defineConfig } from 'vite';

// A relative base, so the built `dist` can be served from any path (`pnpm demo`, the e2e suite).
export default defineConfig({
  base: './',
  plugins: [angular({ tsconfig: 'tsconfig.app.json' })],
  build: { target: 'es2022' },
});
