import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // package.json `imports` points at dist; the tests run from source, on Node.
  resolve: { alias: { '#websocket': fileURLToPath(new URL('./src/websocket/default-websocket.node.ts', import.meta.url)) } },
  test: { include: ['src/**/*.test.ts'], typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] } },
});
