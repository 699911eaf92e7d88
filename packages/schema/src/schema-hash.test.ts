import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blogSchemaSDL } from './fixtures/blog-schema';
import { parseSchema } from './parse-schema';
import { schemaHash } from './schema-hash';

const todo = 'type Todo @model { title: String }';
const note = 'type Note @model @auth(rules: [{ allow: owner }]) { text: String! }';

describe('schema hash', () => {
  it('ignores whitespace and comments', () => {
    const compact = parseSchema(`${todo}\n${note}`).hash;
    const spaced = parseSchema(`# my models\n\n  type Todo   @model {\n    # the title\n    title: String\n  }\n\n${note}\n`).hash;
    expect(spaced).toBe(compact);
  });

  it('ignores the order of type definitions', () => {
    expect(parseSchema(`${note}\n${todo}`).hash).toBe(parseSchema(`${todo}\n${note}`).hash);
    const definitions = blogSchemaSDL.split(/\n(?=type |enum |input )/);
    const reordered = [...definitions].reverse().join('\n');
    expect(parseSchema(reordered).hash).toBe(parseSchema(blogSchemaSDL).hash);
  });

  it('changes when a field is added', () => {
    expect(parseSchema('type Todo @model { title: String, done: Boolean }').hash).not.toBe(parseSchema(todo).hash);
  });

  it('is the hash of the rest of the schema', () => {
    const { hash, ...rest } = parseSchema(blogSchemaSDL);
    expect(schemaHash(rest)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('survives any whitespace between tokens', () => {
    const tokens = ['type', 'Todo', '@model', '{', 'title', ':', 'String', 'done', ':', 'Boolean', '}'];
    const expected = parseSchema(tokens.join(' ')).hash;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '\n', '\t', ',', ' # note\n'), { minLength: tokens.length, maxLength: tokens.length }), (gaps) => {
        const sdl = tokens.map((token, i) => `${token}${gaps[i] ?? ' '}`).join('');
        expect(parseSchema(sdl).hash).toBe(expected);
      }),
    );
  });
});
