import { mkdirSync, readFileSync, watch, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';
import { parseArgs } from 'node:util';
import { generateAmplifyModels } from '../codegen/amplify-introspection';
import type { NormalizedSchema } from '@offgrid/schema';
import { generateJavaScript } from '../codegen/javascript-models';
import { generateTypeScript } from '../codegen/typescript-types';
import { loadSchemaFile } from './load-schema';
import { UsageError } from './serve-options';

export const CODEGEN_USAGE = `Usage: offgrid codegen --schema <schema.graphql> --out <dir> [--target ts|js|amplify] [--watch]

  --schema <file>   GraphQL schema with Amplify directives (required)
  --out <dir>       where to write the generated files (required)
  --target <t>      ts (default; also "offgrid"): index.ts, models.ts and schema.ts, a drop-in for the
                    ./models module of an Amplify app ported to @offgrid/core/amplify (same exports:
                    model classes, enums, custom types), also typed for createDataStore<Models>
                    js: the same module as ESM JavaScript with .d.ts files (index.js, schema.js, ...)
                    amplify: schema.js, schema.d.ts and index.js for an unmodified Amplify DataStore app
                    (the models/ folder that \`amplify codegen models\` writes; its initSchema loads schema.js)
  --watch           regenerate whenever the schema file changes
`;

/** What `offgrid codegen` can write (`offgrid` is the former name of `ts`). */
export type CodegenTarget = 'ts' | 'js' | 'amplify' | 'offgrid';

const TARGETS: readonly CodegenTarget[] = ['ts', 'js', 'amplify', 'offgrid'];

function generate(target: CodegenTarget, schema: NormalizedSchema, source: string): Record<string, string> {
  if (target === 'amplify') return generateAmplifyModels(schema, source);
  if (target === 'js') return generateJavaScript(schema, source);
  return generateTypeScript(schema, source);
}

/** Writes the generated files; returns the ones whose content changed. */
export function runCodegen(schemaPath: string, outDir: string, target: CodegenTarget = 'ts'): string[] {
  const schema = loadSchemaFile(schemaPath, basename(schemaPath));
  mkdirSync(outDir, { recursive: true });
  const changed: string[] = [];
  const files = generate(target, schema, basename(schemaPath));
  for (const [name, text] of Object.entries(files)) {
    const file = join(outDir, name);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    writeFileSync(file, text);
    changed.push(file);
  }
  return changed;
}

/**
 * `offgrid codegen`: the models module of a schema (model classes, enums, custom types, their types and the
 * normalized schema), as TypeScript or JavaScript, or Amplify's own `models/` folder.
 *
 * @example
 * offgrid codegen --schema schema.graphql --out src/models
 */
export async function codegen(argv: string[], print: (line: string) => void = console.log): Promise<{ close(): void } | undefined> {
  const { values } = parseArgs({ args: argv, options: { schema: { type: 'string' }, out: { type: 'string' }, target: { type: 'string' }, watch: { type: 'boolean' } }, strict: true });
  if (!values.schema || !values.out) throw new UsageError(`--schema and --out are required.\n\n${CODEGEN_USAGE}`);
  const target = (values.target ?? 'ts') as CodegenTarget;
  if (!TARGETS.includes(target)) throw new UsageError(`--target must be ts, js or amplify, got "${values.target}".\n\n${CODEGEN_USAGE}`);
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
