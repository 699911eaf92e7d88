import { mkdirSync, readFileSync, watch, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';
import { parseArgs } from 'node:util';
import { generateAmplifyModels } from '../codegen/amplify-introspection';
import { generateTypeScript } from '../codegen/typescript-types';
import { loadSchemaFile } from './load-schema';
import { UsageError } from './serve-options';

export const CODEGEN_USAGE = `Usage: offgrid codegen --schema <schema.graphql> --out <dir> [--target offgrid|amplify] [--watch]

  --schema <file>   GraphQL schema with Amplify directives (required)
  --out <dir>       where to write the generated files (required)
  --target <t>      offgrid (default): models.ts, schema.ts and index.ts for @offgrid/core
                    amplify: schema.js, schema.d.ts and index.js for an unmodified Amplify DataStore app
                    (the models/ folder that \`amplify codegen models\` writes; its initSchema loads schema.js)
  --watch           regenerate whenever the schema file changes
`;

/** What `offgrid codegen` can write. */
export type CodegenTarget = 'offgrid' | 'amplify';

/** Writes the generated files; returns the ones whose content changed. */
export function runCodegen(schemaPath: string, outDir: string, target: CodegenTarget = 'offgrid'): string[] {
  const schema = loadSchemaFile(schemaPath, basename(schemaPath));
  mkdirSync(outDir, { recursive: true });
  const changed: string[] = [];
  const files = target === 'amplify' ? generateAmplifyModels(schema, basename(schemaPath)) : generateTypeScript(schema, basename(schemaPath));
  for (const [name, text] of Object.entries(files)) {
    const file = join(outDir, name);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    writeFileSync(file, text);
    changed.push(file);
  }
  return changed;
}

/**
 * `offgrid codegen`: TypeScript types, the normalized schema module and model constructors from a schema.
 *
 * @example
 * offgrid codegen --schema schema.graphql --out src/models
 */
export async function codegen(argv: string[], print: (line: string) => void = console.log): Promise<{ close(): void } | undefined> {
  const { values } = parseArgs({ args: argv, options: { schema: { type: 'string' }, out: { type: 'string' }, target: { type: 'string' }, watch: { type: 'boolean' } }, strict: true });
  if (!values.schema || !values.out) throw new UsageError(`--schema and --out are required.\n\n${CODEGEN_USAGE}`);
  const target = (values.target ?? 'offgrid') as CodegenTarget;
  if (target !== 'offgrid' && target !== 'amplify') throw new UsageError(`--target must be offgrid or amplify, got "${values.target}".\n\n${CODEGEN_USAGE}`);
  const schemaPath = resolve(values.schema);
  const outDir = resolve(values.out);
  const report = (files: string[]) => print(files.length ? `offgrid codegen: wrote ${files.join(', ')}` : 'offgrid codegen: up to date');
  report(runCodegen(schemaPath, outDir, target));
  if (!values.watch) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(schemaPath, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        report(runCodegen(schemaPath, outDir, target));
      } catch (error) {
        print(`offgrid codegen: ${(error as Error).message}`);
      }
    }, 50);
  });
  print(`offgrid codegen: watching ${schemaPath}`);
  return { close: () => watcher.close() };
}
