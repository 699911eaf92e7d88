import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codegen, runCodegen } from '../commands/codegen';
import { createDataStore, MemoryAdapter } from '@offgrid/core';
import { schema, type Models, Post, Blog } from './fixtures/blog-models';

const FIXTURE = join(__dirname, 'fixtures/blog.graphql');
const GENERATED = join(__dirname, 'fixtures/blog-models');

describe('offgrid codegen', () => {
  it('is stable: the same schema gives the same bytes as the committed output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-'));
    try {
      runCodegen(FIXTURE, dir);
      for (const f of ['models.ts', 'schema.ts', 'index.ts']) {
        expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(GENERATED, f), 'utf8'));
      }
      expect(runCodegen(FIXTURE, dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the generated module works at run time without parsing SDL', async () => {
    const store = createDataStore<Models>({ schema, storage: new MemoryAdapter() });
    const blog = await store.save(new Blog({ name: 'Tech' }));
    await store.save(new Post({ title: 'Hello', status: 'PUBLISHED', blog }));
    const posts = await store.query(Post, (p) => p.blog.name.eq('Tech'));
    expect(posts.map((p) => p.title)).toEqual(['Hello']);
  });

  it('--watch regenerates when the schema changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-watch-'));
    const schemaFile = join(dir, 'schema.graphql');
    copyFileSync(FIXTURE, schemaFile);
    const lines: string[] = [];
    const watcher = await codegen(['--schema', schemaFile, '--out', join(dir, 'out'), '--watch'], (l) => lines.push(l));
    try {
      writeFileSync(schemaFile, `${readFileSync(FIXTURE, 'utf8')}\ntype Extra @model { id: ID! label: String }\n`);
      const deadline = Date.now() + 5000;
      while (!readFileSync(join(dir, 'out/models.ts'), 'utf8').includes('interface Extra') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(readFileSync(join(dir, 'out/models.ts'), 'utf8')).toContain('export interface Extra');
    } finally {
      watcher?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad schema with its location', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-bad-'));
    writeFileSync(join(dir, 's.graphql'), 'type A @model {\n  id: ID!\n  x: Strng\n}\n');
    expect(() => runCodegen(join(dir, 's.graphql'), join(dir, 'out'))).toThrow(/s\.graphql:3:6: .*Strng/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--target amplify writes the model introspection an Amplify app loads (compared with Amplify\'s own generator in tests/amplify)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-amplify-'));
    try {
      const lines: string[] = [];
      await codegen(['--schema', FIXTURE, '--out', dir, '--target', 'amplify'], (l) => lines.push(l));
      const schemaJs = readFileSync(join(dir, 'schema.js'), 'utf8');
      const introspection = JSON.parse(schemaJs.slice(schemaJs.indexOf('{'), schemaJs.lastIndexOf('}') + 1));
      expect(introspection.models.Note.attributes).toContainEqual({ type: 'auth', properties: { rules: [{ provider: 'userPools', ownerField: 'owner', allow: 'owner', identityClaim: 'cognito:username', operations: ['create', 'update', 'delete', 'read'] }] } });
      expect(introspection.models.Blog.fields.posts.association).toEqual({ connectionType: 'HAS_MANY', associatedWith: ['blog'] });
      expect(introspection.models.Post.fields.blog.association).toEqual({ connectionType: 'BELONGS_TO', targetNames: ['blogID'] });
      expect(introspection.models.Note.fields.owner).toBeUndefined();
      expect(readFileSync(join(dir, 'index.js'), 'utf8')).toContain('initSchema(schema)');
      expect(runCodegen(FIXTURE, dir, 'amplify')).toEqual([]);
      await expect(codegen(['--schema', FIXTURE, '--out', dir, '--target', 'flutter'])).rejects.toThrow(/--target must be offgrid or amplify/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
