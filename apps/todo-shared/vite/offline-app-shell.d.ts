import type { PluginOption } from 'vite';

/** The script the development server answers at `/sw.js`: a service worker that removes itself. */
export declare const RESET_WORKER: string;

/**
 * The demo apps' service worker (vite-plugin-pwa, precached app shell, `autoUpdate`), and a development server
 * that retires any service worker an earlier build left on its origin.
 *
 * @example
 * export default defineConfig({ base: './', plugins: [react(), offlineAppShell()] });
 */
export declare function offlineAppShell(): PluginOption[];
