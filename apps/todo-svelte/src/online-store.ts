import { readable } from 'svelte/store';

/** The browser's `navigator.onLine`, following its `online` / `offline` events. */
export const browserOnline = readable(typeof navigator === 'undefined' ? true : navigator.onLine, (set) => {
  const update = () => set(navigator.onLine);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  return () => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  };
});
