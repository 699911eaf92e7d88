import { createRequire } from 'node:module';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { amplifyModels, ROOT, SCHEMA, tempDir } from './harness';

const require = createRequire(import.meta.url);
const BLOG = resolve(ROOT, '../../packages/cli/src/codegen/fixtures/blog.graphql');

/** What Amplify's own model generator (the `amplify codegen models` plugin, used as a library) writes. */
async function amplifyGenerated(schemaFile: string, dir: string): Promise<any> {
  const { generateModels } = require('@aws-amplify/graphql-generator');
  const { DefaultDirectives } = require('@aws-amplify/graphql-directives');
  const out = await generateModels({
    schema: readFileSync(schemaFile, 'utf8'),
    target: 'javascript',
    directives: DefaultDirectives.map((d: { definition: string }) => d.definition).join('\n'),
    isDataStoreEnabled: true,
  });
  writeFileSync(join(dir, 'amplify-schema.js'), out['schema.js']);
  return (await import(pathToFileURL(join(dir, 'amplify-schema.js')).href)).schema;
}

/** Key order and the order of `@index` key attributes carry no meaning; the schema hash differs by design. */
function comparable(schema: any): any {
  const copy = JSON.parse(JSON.stringify(schema));
  delete copy.version;
  delete copy.codegenVersion;
  for (const model of Object.values<any>(copy.models)) {
    const keys = model.attributes.filter((a: any) => a.type === 'key').sort((a: any, b: any) => String(a.properties.name).localeCompare(String(b.properties.name)));
    model.attributes = [...model.attributes.filter((a: any) => a.type === 'model'), ...keys, ...model.attributes.filter((a: any) => a.type !== 'key' && a.type !== 'model')];
  }
  return copy;
}

describe('offgrid codegen --target amplify', () => {
  for (const [name, file] of [['the test schema', SCHEMA], ['the blog fixture (enum, embedded type, composite key, manyToMany)', BLOG]] as const) {
    it(`writes the same model introspection as Amplify's generator, for ${name}`, async () => {
      const dir = tempDir('amplify-codegen-');
      try {
        writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
        const ours = (await import(amplifyModels(dir, file))).schema;
        const theirs = await amplifyGenerated(file, dir);
        expect(comparable(ours)).toEqual(comparable(theirs));
        expect(ours.version).toMatch(/^[0-9a-f]{32}$/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('the generated index.js gives model constructors through initSchema', async () => {
    const dir = tempDir('amplify-codegen-');
    try {
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
      amplifyModels(dir);
      const index = readFileSync(join(dir, 'index.js'), 'utf8');
      expect(index).toContain("import { initSchema } from '@aws-amplify/datastore';");
      expect(index).toMatch(/const \{ Book, Diary, Invoice, Recipe, Shelf \} = initSchema\(schema\);/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
