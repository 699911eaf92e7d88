import { useSyncStatus } from '@offgrid/vue';
import { computed, onScopeDispose, ref, type ComputedRef } from 'vue';

/**
 * `online` or `offline`: the browser's own signal (navigator.onLine and its events), and offline too
 * while the store cannot reach its server.
 */
export function useNetworkState(): ComputedRef<'online' | 'offline'> {
  const browserOnline = ref(navigator.onLine);
  const update = () => {
    browserOnline.value = navigator.onLine;
  };
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  onScopeDispose(() => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  });
  const sync = useSyncStatus();
  return computed(() => (browserOnline.value && sync.value.state !== 'offline' ? 'online' : 'offline'));
}
