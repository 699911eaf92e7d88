import { OffgridError } from '@offgrid/core';

/** A composable ran where no store was provided. */
export class DataStoreNotProvidedError extends OffgridError {
  constructor(composable: string) {
    super(
      'DATASTORE_NOT_PROVIDED',
      `${composable}() found no DataStore. Install the plugin with app.use(createDataStorePlugin(store)), or call ` +
        'provideDataStore(store) in a parent component, and call composables inside setup() or an effectScope.',
    );
  }
}
