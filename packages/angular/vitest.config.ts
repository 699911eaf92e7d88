import angular from '@analogjs/vite-plugin-angular';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles the test components (the binding itself needs no Angular compiler).
  plugins: [angular({ tsconfig: 'tsconfig.spec.json' })],
  test: {
    environment: 'jsdom',
    setupFiles: ['src/__tests__/test-setup.ts'],
    include: ['src/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
  },
});
