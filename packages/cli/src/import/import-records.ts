import { MANAGED_FIELDS, modelKeyOf, recordProblem, type ModelDefinition, type NormalizedSchema } from '@offgrid/schema';
import type { RecordStore } from '@offgrid/server';
import { AttributeError, unmarshallItem } from './dynamodb-json';
import { readExport } from './read-export';

/** Attributes AppSync/Amplify keep in DynamoDB that are not model fields. */
const AMPLIFY_ATTRIBUTES = new Set(['__typename', '_ttl']);

/** What `importDynamoDbJson` needs. */
export interface ImportOptions {
  schema: NormalizedSchema;
  /** The server's store (`SqliteRecordStore` or `PostgresRecordStore`); it is migrated to the schema first. */
  store: RecordStore;
  /** An export file (`.json` or `.json.gz`, one `{"Item": {...}}` per line) or a directory of them. */
  source: string;
  /** The model of items without `__typename`. */
  model?: string;
  /** Skip (and report) invalid records instead of stopping at the first batch that has one. */
  skipInvalid?: boolean;
  /** Records per transaction (default 500). */
  batchSize?: number;
  /** Validate only; write nothing. */
  dryRun?: boolean;
}

/** A record that cannot be imported: where it is and what is wrong. */
export interface ImportProblem {
  file: string;
  line: number;
  model?: string;
  field?: string;
  reason: string;
}

/** What an import did. */
export interface ImportReport {
  /** Records read from the export. */
  read: number;
  /** New on the server. */
  inserted: number;
  /** Replaced an older version on the server. */
  updated: number;
  /** Already on the server at this version or newer (a re-run, or newer edits since): left alone. */
  unchanged: number;
  /** Of the records written, how many are tombstones (`_deleted: true`). */
  tombstones: number;
  /** Records written (inserted or updated) per model. */
  models: Record<string, number>;
  /** Invalid records (skipped with `skipInvalid`; otherwise the ones of the batch that stopped the import). */
  invalid: ImportProblem[];
}

/** The import stopped at a batch with invalid records; nothing of that batch was written. */
export class ImportValidationError extends Error {
  constructor(
    readonly problems: ImportProblem[],
    readonly report: ImportReport,
  ) {
    super(
      `${problems.length} invalid record(s); nothing of their batch was written${report.inserted + report.updated > 0 ? ` (${report.inserted + report.updated} records of earlier batches were)` : ''}.\n` +
        problems.map(formatProblem).join('\n') +
        '\nFix the records (or the schema) and run the import again: it is idempotent. Or pass --skip-invalid.',
    );
  }
}

/** `file:line: Model.field: reason` */
export function formatProblem(p: ImportProblem): string {
  const where = p.model ? `${p.model}${p.field ? `.${p.field}` : ''}: ` : p.field ? `${p.field}: ` : '';
  return `${p.file}:${p.line}: ${where}${p.reason}`;
}

interface Candidate {
  file: string;
  line: number;
  model: ModelDefinition;
  key: string;
  data: Record<string, unknown>;
  version: number;
  deleted: boolean;
  lastChangedAt: number;
}

type Converted = { ok: Candidate } | { problem: ImportProblem };

/** One export line to a server record, or what is wrong with it. */
export function convertItem(schema: NormalizedSchema, value: unknown, where: { file: string; line: number }, fallbackModel?: string): Converted {
  const fail = (reason: string, model?: string, field?: string): Converted => ({
    problem: { ...where, ...(model ? { model } : {}), ...(field ? { field } : {}), reason },
  });
  const item = (value as { Item?: unknown } | null)?.Item;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return fail('expected {"Item": {...}} (DynamoDB JSON export format)');
  let plain: Record<string, unknown>;
  try {
    plain = unmarshallItem(item as Record<string, unknown>);
  } catch (error) {
    if (error instanceof AttributeError) return fail(error.message, undefined, error.path);
    throw error;
  }
  const typename = plain.__typename;
  const modelName = typeof typename === 'string' ? typename : fallbackModel;
  if (!modelName) return fail('no __typename attribute: pass --model <Name> for exports of one model');
  const model = schema.models[modelName];
  if (!model) return fail(`unknown model "${modelName}"; the schema has ${Object.keys(schema.models).join(', ')}`);

  const version = plain._version ?? 1;
  if (!Number.isSafeInteger(version) || (version as number) < 1) return fail(`expected a positive integer, got ${JSON.stringify(plain._version)}`, modelName, '_version');
  const deleted = plain._deleted ?? false;
  if (typeof deleted !== 'boolean' && deleted !== null) return fail(`expected true or false, got ${JSON.stringify(deleted)}`, modelName, '_deleted');
  let lastChangedAt = plain._lastChangedAt;
  if (lastChangedAt === undefined || lastChangedAt === null) {
    const updated = model.timestamps.updatedAt ? Date.parse(String(plain[model.timestamps.updatedAt])) : Number.NaN;
    lastChangedAt = Number.isFinite(updated) ? updated : Date.now();
  }
  if (!Number.isSafeInteger(lastChangedAt)) return fail(`expected epoch milliseconds, got ${JSON.stringify(plain._lastChangedAt)}`, modelName, '_lastChangedAt');

  const data: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(plain)) {
    if (MANAGED_FIELDS.has(name) || AMPLIFY_ATTRIBUTES.has(name) || v === undefined) continue;
    const field = model.fields[name];
    // AppSync stores AWSJSON values as DynamoDB maps and lists; Offgrid keeps them as JSON text, as the API does.
    data[name] = field?.type.kind === 'scalar' && field.type.name === 'AWSJSON' && v !== null && typeof v !== 'string' ? JSON.stringify(v) : v;
  }
  const problem = recordProblem(schema, modelName, data);
  if (problem) return fail(problem.reason, modelName, problem.field);
  let key: string;
  try {
    key = modelKeyOf(model, data);
  } catch (error) {
    return fail((error as Error).message, modelName);
  }
  return { ok: { ...where, model, key, data, version: version as number, deleted: deleted === true, lastChangedAt: lastChangedAt as number } };
}

/**
 * Imports a DynamoDB JSON export (Amplify DataStore's tables, exported to S3) into an Offgrid server's
 * database, keeping `_version`, `_lastChangedAt` and `_deleted`. Records are validated against the schema;
 * each batch is one transaction, written only if all its records are valid (or with `skipInvalid`, without the
 * invalid ones). Idempotent: a record already stored at the same or a newer version is left alone, so re-running
 * never duplicates a record or lowers its version. Written records get new change sequence numbers, so clients
 * pick them up on their next delta sync.
 *
 * @example
 * const report = await importDynamoDbJson({ schema, store: new SqliteRecordStore({ filename }), source: 'export/' })
 */
export async function importDynamoDbJson(options: ImportOptions): Promise<ImportReport> {
  const { schema, store } = options;
  const batchSize = options.batchSize ?? 500;
  if (options.model && !schema.models[options.model]) {
    throw new Error(`--model ${options.model}: no such model; the schema has ${Object.keys(schema.models).join(', ')}`);
  }
  const report: ImportReport = { read: 0, inserted: 0, updated: 0, unchanged: 0, tombstones: 0, models: {}, invalid: [] };
  if (!options.dryRun) await store.migrate(schema);

  let batch: Candidate[] = [];
  let batchProblems: ImportProblem[] = [];
  const flush = async () => {
    if (batchProblems.length > 0) {
      report.invalid.push(...batchProblems);
      if (!options.skipInvalid && !options.dryRun) throw new ImportValidationError(batchProblems, report);
    }
    const records = batch;
    batch = [];
    batchProblems = [];
    if (records.length === 0 || options.dryRun) return;
    const { result } = await store.transaction(async (tx) => {
      const counts = { inserted: 0, updated: 0, unchanged: 0, tombstones: 0, models: {} as Record<string, number> };
      for (const r of records) {
        const write = {
          model: r.model.name,
          key: r.key,
          data: r.data,
          version: r.version,
          deleted: r.deleted,
          lastChangedAt: r.lastChangedAt,
          // Every field as of the imported version: a client edit made from an older version merges as concurrent.
          fieldVersions: { ...Object.fromEntries(Object.keys(r.data).map((f) => [f, r.version])), ...(r.deleted ? { _deleted: r.version } : {}) },
        };
        const existing = await tx.get(r.model.name, r.key);
        let wrote: boolean;
        if (!existing) wrote = await tx.insert(write);
        else if (existing.version < r.version) wrote = await tx.update(write, existing.version);
        else wrote = false;
        if (!wrote) {
          counts.unchanged++;
          continue;
        }
        if (existing) counts.updated++;
        else counts.inserted++;
        if (r.deleted) counts.tombstones++;
        counts.models[r.model.name] = (counts.models[r.model.name] ?? 0) + 1;
      }
      return counts;
    });
    report.inserted += result.inserted;
    report.updated += result.updated;
    report.unchanged += result.unchanged;
    report.tombstones += result.tombstones;
    for (const [m, n] of Object.entries(result.models)) report.models[m] = (report.models[m] ?? 0) + n;
  };

  for await (const line of readExport(options.source)) {
    report.read++;
    const where = { file: line.file, line: line.line };
    const converted: Converted = line.error ? { problem: { ...where, reason: line.error } } : convertItem(schema, line.value, where, options.model);
    if ('problem' in converted) batchProblems.push(converted.problem);
    else batch.push(converted.ok);
    if (batch.length + batchProblems.length >= batchSize) await flush();
  }
  await flush();
  return report;
}
