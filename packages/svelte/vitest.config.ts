import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

// Two projects: components in jsdom with Svelte's browser runtime, and server rendering on Node with its
// server runtime (one process cannot resolve `svelte` both ways).
const serverTests = 'src/**/server-rendering.test.ts';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'browser',
          environment: 'jsdom',
          include: ['src/**/*.test.ts'],
          exclude: [serverTests],
          typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      { plugins: [svelte()], test: { name: 'server', environment: 'node', include: [serverTests] } },
    ],
  },
});
