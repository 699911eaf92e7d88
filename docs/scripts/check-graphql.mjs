// Every GraphQL sample of the docs must load: parse each snippets/*.graphql with Offgrid's schema parser.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSchema } from '@offgrid/schema';

const dir = new URL('../snippets/', import.meta.url).pathname;
let failed = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
  try {
    const schema = parseSchema(readFileSync(join(dir, name), 'utf8'), { sourceName: name });
    console.log(`${name}: ${Object.keys(schema.models).length} models`);
  } catch (error) {
    failed++;
    console.error(`${name}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
