// #region embedded
import { readFileSync } from 'node:fs';
import { parseSchema } from '@offgrid/schema';
import { createOffgridServer, SqliteRecordStore } from '@offgrid/server';

const server = await createOffgridServer({
  schema: parseSchema(readFileSync('schema.graphql', 'utf8')),
  store: new SqliteRecordStore({ filename: 'offgrid-data/offgrid.sqlite' }),
  auth: { apiKeys: ['dev-key'], jwt: { secret: process.env.OFFGRID_JWT_SECRET! } },
});
console.log(await server.listen(4000, '0.0.0.0')); // http://0.0.0.0:4000
// #endregion embedded
