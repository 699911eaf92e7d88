import vue from '@vitejs/plugin-vue';
import { offlineAppShell } from '@offgrid/todo-shared/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  plugins: [vue(), offlineAppShell()],
  build: { target: 'es2022' },
});
