// #region import
import { readFileSync } from 'node:fs';
import { importDynamoDbJson } from '@offgrid/cli';
import { parseSchema } from '@offgrid/schema';
import { SqliteRecordStore } from '@offgrid/server';

const store = new SqliteRecordStore({ filename: 'offgrid-data/offgrid.sqlite' });
const report = await importDynamoDbJson({
  schema: parseSchema(readFileSync('schema.graphql', 'utf8')),
  store,
  source: 'exports/Todo-abc123/AWSDynamoDB/01700000000000-1a2b3c4d', // a file or a directory
  skipInvalid: true,
});
console.log(report.inserted, report.updated, report.unchanged, report.invalid);
await store.close();
// #endregion import
