import { useDataStore } from '@offgrid/vue';
import { onScopeDispose, ref, type Ref } from 'vue';

const RESOLUTIONS = { retry: 'your change was merged and sent again', discard: "the server's version was kept", 'dead-letter': 'your change was set aside' };

/** The last conflict the store reported, as a sentence; cleared with `dismiss`. */
export function useConflictNotice(): { message: Ref<string | undefined>; dismiss: () => void } {
  const store = useDataStore();
  const message = ref<string>();
  const subscription = store.events$.subscribe((e) => {
    if (e.event === 'conflict') message.value = `Conflict on a ${e.data.model}: ${RESOLUTIONS[e.data.resolution]}.`;
  });
  onScopeDispose(() => subscription.unsubscribe());
  return { message, dismiss: () => (message.value = undefined) };
}
