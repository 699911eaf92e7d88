// #region postgres
import { readFileSync } from 'node:fs';
import { parseSchema } from '@offgrid/schema';
import { createOffgridServer, PostgresChangeBus, PostgresRecordStore } from '@offgrid/server';

const connectionString = process.env.DATABASE_URL!; // postgres://user:pass@db:5432/offgrid
const store = new PostgresRecordStore({ connectionString, schema: 'offgrid', max: 10 });
const server = await createOffgridServer({
  schema: parseSchema(readFileSync('schema.graphql', 'utf8')),
  store,
  // LISTEN/NOTIFY: a write accepted by one process reaches subscribers connected to any other.
  bus: new PostgresChangeBus({ connectionString, store }),
  auth: { jwt: { jwksUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_XXXX/.well-known/jwks.json' } },
  production: true,
});
await server.listen(Number(process.env.PORT ?? 4000), '0.0.0.0');
// #endregion postgres
