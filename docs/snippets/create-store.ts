// #region store
import { createDataStore, IndexedDBAdapter } from '@offgrid/core';
import { schema, type Models } from './models'; // written by `offgrid codegen`

/** Your sign-in library's current ID token (Cognito, Auth0, Keycloak, ...). */
declare function currentIdToken(): Promise<string>;

export const store = createDataStore<Models>({
  schema,
  storage: new IndexedDBAdapter({ name: 'todos' }),
  sync: {
    url: 'https://sync.example.com/graphql',
    auth: { token: currentIdToken }, // or { apiKey: '...' } for public data
  },
});
// #endregion store
