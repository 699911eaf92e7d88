import { OffgridError } from '@offgrid/core';

/**
 * A hook ran outside a {@link DataStoreProvider}.
 *
 * @example
 * createRoot(el).render(<DataStoreProvider store={store}><App /></DataStoreProvider>)
 */
export class MissingProviderError extends OffgridError {
  constructor(hook: string) {
    super(
      'MISSING_PROVIDER',
      `${hook} found no DataStore: wrap the component tree in <DataStoreProvider store={store}>, ` +
        'or check that @offgrid/react is installed once (two copies make two separate contexts).',
    );
  }
}
