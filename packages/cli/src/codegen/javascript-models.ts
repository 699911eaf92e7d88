import type { NormalizedSchema } from '@offgrid/schema';
import { exportedNames, modelTypes } from './model-types';
import { generatedHeader, indexTypes, schemaModule } from './typescript-types';

/**
 * The same models module as {@link generateTypeScript}, as JavaScript (ESM `.js`) with `.d.ts` beside it, for
 * apps without a TypeScript build: `index.js`, `schema.js` and their declarations, and `models.d.ts`.
 *
 * @example
 * const files = generateJavaScript(parseSchema(sdl), 'schema.graphql') // { 'index.js', 'index.d.ts', ... }
 */
export function generateJavaScript(schema: NormalizedSchema, sourceName: string): Record<string, string> {
  const header = generatedHeader(sourceName);
  const { models, enums, customTypes } = exportedNames(schema);
  const names = [...enums, ...models, ...customTypes];
  const indexJs = [
    header,
    "import { initSchema } from '@offgrid/core/amplify';",
    "import { schema } from './schema.js';",
    '',
    '/** The model classes, custom types and enums of the schema. */',
    `const { ${names.join(', ')} } = initSchema(schema);`,
    '',
    `export { schema, ${names.join(', ')} };`,
    '',
  ].join('\n');
  const indexDts = [
    header,
    "import type { ModelConstructor, NonModelConstructor, NormalizedSchema } from '@offgrid/core/amplify';",
    ...indexTypes(schema),
    '',
    'export declare const schema: NormalizedSchema;',
    ...[...models, ...customTypes].map((n) => `export declare const ${n}: Classes['${n}'];`),
    '',
  ].join('\n');
  return {
    'index.js': indexJs,
    'index.d.ts': indexDts,
    'schema.js': schemaModule(schema, header, false),
    'schema.d.ts': `${header}import type { NormalizedSchema } from '@offgrid/core/amplify';\n\nexport declare const schema: NormalizedSchema;\n`,
    'models.d.ts': modelTypes(schema, header, true),
  };
}
