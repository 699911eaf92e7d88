// The demo apps' service worker, as one Vite plugin list each app's vite.config.ts adds. Plain JavaScript: Vite
// loads a config's package imports with Node, which runs no TypeScript on Node 20.
import { VitePWA } from 'vite-plugin-pwa';

/**
 * What the development server answers at `/sw.js`: a worker that removes itself. A build served on the same
 * origin before (`vite preview --port 5173`, say) left a service worker that would keep answering with that old
 * build; the browser checks `/sw.js` on every navigation, finds this one, and it unregisters, empties the caches
 * and reloads the open pages from the development server.
 */
export const RESET_WORKER = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await self.registration.unregister();
    for (const key of await caches.keys()) await caches.delete(key);
    for (const client of await self.clients.matchAll({ type: 'window' })) client.navigate(client.url);
  })());
});
`;

/** @returns {import('vite').Plugin} */
function resetWorkerInDevelopment() {
  return {
    name: 'offgrid-todo:reset-service-worker-in-development',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0] !== '/sw.js') return next();
        res.setHeader('content-type', 'text/javascript');
        res.setHeader('cache-control', 'no-store');
        res.end(RESET_WORKER);
      });
    },
  };
}

/**
 * A service worker that precaches the built app shell (HTML, scripts, styles), so the app loads and reloads with
 * no network; the sync server's requests are never cached (they go to another origin, and the store keeps the
 * data in IndexedDB). A new build's worker takes over at once and the page reloads into it (`autoUpdate`), so a
 * deployed fix reaches users on their next visit. Registered by `registerTodoServiceWorker()`.
 *
 * @example
 * export default defineConfig({ base: './', plugins: [react(), offlineAppShell()] });
 * @returns {import('vite').PluginOption[]}
 */
export function offlineAppShell() {
  return [
    VitePWA({
      registerType: 'autoUpdate',
      // The apps register it themselves (registerTodoServiceWorker), after their store is set up.
      injectRegister: false,
      // Offline reloads are the point here; installing the demo as an app is not, so no web manifest.
      manifest: false,
      workbox: {
        // .wasm: SQLite's WebAssembly, for todo-react's ?storage=opfs.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2,wasm}'],
        // Any page URL (the apps read `?server=&db=`) gets the app shell.
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // A new build's worker takes over open pages at once; registerTodoServiceWorker() reloads them into it.
        skipWaiting: true,
        clientsClaim: true,
      },
    }),
    resetWorkerInDevelopment(),
  ];
}
