// #region root
// In the root component's <script lang="ts">:
import { setDataStoreContext } from '@offgrid/svelte';
import { store } from './create-store';

setDataStoreContext(store);
// #endregion root
