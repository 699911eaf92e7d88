import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PostgresRecordStore, SqliteRecordStore, type RecordStore } from '@offgrid/server';
import { formatProblem, importDynamoDbJson, ImportValidationError, type ImportReport } from '../import/import-records';
import { loadSchemaFile } from './load-schema';
import { UsageError } from './serve-options';

export const IMPORT_USAGE = `Usage: offgrid import --schema <schema.graphql> --database <file|postgres://...> --from dynamodb-json <file|dir> [options]

Imports a DynamoDB JSON export (DynamoDB "export to S3", DynamoDB JSON format: one {"Item": {...}} per line,
.json or .json.gz; a directory is searched for them) into the server's database, keeping _version,
_lastChangedAt and _deleted. Records are validated against the schema. Re-running is safe: a record already
stored at the same or a newer version is left alone.

  --schema <file>        GraphQL schema with Amplify directives (required)
  --database <url|file>  postgres://... or the SQLite file offgrid serve uses (required)
  --pg-schema <name>     PostgreSQL schema for Offgrid's tables (default public)
  --from dynamodb-json <path>  the export: a file or a directory (required)
  --model <Name>         the model of items without a __typename attribute
  --skip-invalid         skip invalid records (and list them) instead of stopping
  --batch-size <n>       records per transaction (default 500)
  --dry-run              validate only; write nothing
`;

/** What `offgrid import` did; `problems` lists invalid records (skipped, or the batch that stopped it). */
export interface ImportResult {
  report: ImportReport;
  ok: boolean;
}

/**
 * `offgrid import`: a DynamoDB JSON export into the server's database.
 *
 * @example
 * await importCommand(['--schema', 'schema.graphql', '--database', 'offgrid.sqlite', '--from', 'dynamodb-json', 'export/'])
 */
export async function importCommand(argv: string[], print: (line: string) => void = console.log, printError: (line: string) => void = console.error): Promise<ImportResult> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      schema: { type: 'string' },
      database: { type: 'string' },
      'pg-schema': { type: 'string' },
      from: { type: 'string' },
      model: { type: 'string' },
      'skip-invalid': { type: 'boolean' },
      'batch-size': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.schema || !values.database || !values.from) throw new UsageError(`--schema, --database and --from are required.\n\n${IMPORT_USAGE}`);
  if (values.from !== 'dynamodb-json') throw new UsageError(`--from must be dynamodb-json (the format of DynamoDB's export to S3), got "${values.from}".`);
  if (positionals.length !== 1) throw new UsageError(`Pass the export file or directory after --from dynamodb-json.\n\n${IMPORT_USAGE}`);
  const source = resolve(positionals[0]!);
  if (!existsSync(source)) throw new UsageError(`No export at ${source}: pass a .json/.json.gz file or the export's directory.`);
  const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch-size must be a positive integer, got "${values['batch-size']}".`);

  const schemaPath = resolve(values.schema);
  const schema = loadSchemaFile(schemaPath, basename(schemaPath));
  if (values.model && !schema.models[values.model]) throw new UsageError(`--model ${values.model}: no such model; the schema has ${Object.keys(schema.models).join(', ')}.`);

  const postgres = /^postgres(ql)?:\/\//.test(values.database);
  const store: RecordStore = postgres
    ? new PostgresRecordStore({ connectionString: values.database, ...(values['pg-schema'] ? { schema: values['pg-schema'] } : {}) })
    : new SqliteRecordStore({ filename: values.database });
  try {
    const report = await importDynamoDbJson({
      schema,
      store,
      source,
      batchSize,
      ...(values.model ? { model: values.model } : {}),
      ...(values['skip-invalid'] ? { skipInvalid: true } : {}),
      ...(values['dry-run'] ? { dryRun: true } : {}),
    });
    for (const p of report.invalid) printError(`${values['dry-run'] ? 'invalid' : 'skipped'} ${formatProblem(p)}`);
    const perModel = Object.entries(report.models).map(([m, n]) => `${m} ${n}`).join(', ');
    print(
      values['dry-run']
        ? `offgrid import (dry run): ${report.read} records read, ${report.invalid.length} invalid; nothing written`
        : `offgrid import: ${report.read} records read; ${report.inserted} inserted, ${report.updated} updated (${report.tombstones} tombstones), ${report.unchanged} already up to date, ${report.invalid.length} invalid${perModel ? ` [${perModel}]` : ''}`,
    );
    return { report, ok: values['dry-run'] ? report.invalid.length === 0 : true };
  } catch (error) {
    if (error instanceof ImportValidationError) {
      printError(`offgrid import: ${error.message}`);
      return { report: error.report, ok: false };
    }
    throw error;
  } finally {
    await store.close();
  }
}
