import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codegen, runCodegen } from '../commands/codegen';
import { createDataStore, MemoryAdapter } from '@offgrid/core';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { DataStore } from '@offgrid/core/amplify';
import { Address, Blog, Label, Post, PostLabels, PostStatus, schema, type Models } from './fixtures/blog-models';

const CLI_ROOT = join(__dirname, '../..');
const require = createRequire(import.meta.url);

const FIXTURE = join(__dirname, 'fixtures/blog.graphql');
const GENERATED = join(__dirname, 'fixtures/blog-models');

describe('offgrid codegen', () => {
  it('is stable: the same schema gives the same bytes as the committed output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-'));
    try {
      runCodegen(FIXTURE, dir);
      for (const f of ['models.ts', 'schema.ts', 'index.ts'] as const) {
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

  it("is a drop-in for Amplify's ./models: classes from the Amplify entry, join models from their relations, custom types as classes", async () => {
    await DataStore.clear();
    const blog = await DataStore.save(new Blog({ name: 'Tech', address: new Address({ street: 'Main St', city: 'Oslo' }) }));
    expect(blog.address).toEqual({ street: 'Main St', city: 'Oslo' });
    expect(() => new Address({ city: 'Oslo' } as never)).toThrow(/Address\.street: required/);
    const post = await DataStore.save(new Post({ title: 'Hello', status: PostStatus.PUBLISHED, blog }));
    const label = await DataStore.save(new Label({ text: 'news' }));
    const link = await DataStore.save(new PostLabels({ post, label }));
    expect(link).toMatchObject({ postId: post.id, labelId: label.id });
    expect((await DataStore.query(Post, (p) => p.labels.label.text.eq('news'))).map((p) => p.title)).toEqual(['Hello']);
    // The same classes the Amplify entry hands to Hub listeners and conflict handlers.
    const seen: unknown[] = [];
    const sub = DataStore.observe(Post).subscribe((m) => seen.push(m.model));
    await DataStore.save(Post.copyOf(post, (d) => void (d.title = 'Hello again')));
    sub.unsubscribe();
    expect(seen).toEqual([Post]);
    await DataStore.clear();
  });

  for (const target of ['ts', 'js'] as const) {
    it(`--target ${target} output runs in plain Node ESM (relative imports carry .js)`, () => {
      // Inside the package, so `@offgrid/core` resolves from the generated files as from an app.
      const dir = mkdtempSync(join(CLI_ROOT, `.codegen-${target}-`));
      try {
        runCodegen(FIXTURE, join(dir, 'models'), target);
        writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
        if (target === 'ts') {
          writeFileSync(
            join(dir, 'tsconfig.json'),
            JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true, outDir: 'out', types: [] }, include: ['models'] }),
          );
          execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { stdio: 'pipe' });
        } else {
          expect(readFileSync(join(dir, 'models/index.d.ts'), 'utf8')).toContain("export declare const Post: Classes['Post'];");
        }
        const entry = join(dir, target === 'ts' ? 'out/index.js' : 'models/index.js');
        const script = `const m = await import(${JSON.stringify(entry)}); const b = new m.Blog({ name: 'x', address: new m.Address({ street: 's' }) }); console.log(JSON.stringify([b.name, b.address.street, m.PostStatus.DRAFT, typeof m.Post.copyOf, m.schema.hash.length > 0]));`;
        const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
        expect(JSON.parse(out)).toEqual(['x', 's', 'DRAFT', 'function', true]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

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
      await expect(codegen(['--schema', FIXTURE, '--out', dir, '--target', 'flutter'])).rejects.toThrow(/--target must be ts, js or amplify/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
