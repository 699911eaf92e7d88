// #region before
// The Amplify app, before (for comparison; this file type-checks the app part against Offgrid's names).
// import { Amplify } from 'aws-amplify';
// import { Hub } from 'aws-amplify/utils';
// import { DataStore, Predicates, SortDirection, syncExpression } from 'aws-amplify/datastore';
// import awsconfig from './aws-exports';
// import { Todo } from './models';
//
// Amplify.configure(awsconfig);
// DataStore.configure({ syncExpressions: [syncExpression(Todo, () => (t) => t.done.eq(false))] });
// #endregion before
export {};
