import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The binding's built code imports `react`; dedupe makes it the React 18 of this package, not the
  // workspace's React 19.
  resolve: { dedupe: ['react', 'react-dom'] },
  test: { environment: 'jsdom', include: ['src/**/*.test.ts'], server: { deps: { inline: [/@offgrid\/react/] } } },
});
