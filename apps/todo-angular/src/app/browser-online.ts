import { DestroyRef, inject, signal, type Signal } from '@angular/core';

/** The browser's `navigator.onLine` as a signal, following its `online` / `offline` events. */
export function injectBrowserOnline(): Signal<boolean> {
  const online = signal(typeof navigator === 'undefined' ? true : navigator.onLine);
  const update = () => online.set(navigator.onLine);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  inject(DestroyRef).onDestroy(() => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  });
  return online.asReadonly();
}
