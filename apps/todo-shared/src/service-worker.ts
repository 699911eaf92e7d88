/// <reference types="vite/client" />

/**
 * Registers the service worker that `offlineAppShell()` builds (`sw.js` beside `index.html`), so the app loads
 * and reloads offline. In development there is none: any registration on the origin (left by a build served
 * there) is removed instead, so the development server's code is what runs.
 *
 * @example
 * registerTodoServiceWorker(); // in main.ts, once
 */
export function registerTodoServiceWorker(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const workers = navigator.serviceWorker;
  if (import.meta.env.DEV) {
    void workers.getRegistrations().then((registrations) => Promise.all(registrations.map((r) => r.unregister())));
    return;
  }
  // A newer build's worker takes over at once (skipWaiting, clientsClaim). A page the old worker served then
  // reloads, so it never runs old code against new files. The first worker to take a page on its first visit
  // changes nothing the page has loaded: no reload then.
  const servedByWorker = workers.controller !== null;
  let reloading = false;
  workers.addEventListener('controllerchange', () => {
    if (!servedByWorker || reloading) return;
    reloading = true;
    window.location.reload();
  });
  workers.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL }).catch((error: unknown) => {
    console.error('The service worker did not register: the app will not load offline.', error);
  });
}
