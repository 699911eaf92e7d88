import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Real `offgrid serve` processes: under vitest, import() would go through Vite, which reads TypeScript itself.
const BIN = resolve(__dirname, '../../bin/offgrid.js');
const dir = mkdtempSync(join(tmpdir(), 'offgrid-cli-config-'));
const SCHEMA = join(dir, 'schema.graphql');
writeFileSync(SCHEMA, 'type Todo @model { id: ID! title: String }\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Node 22.18+ and 23.6+ strip types by themselves; `process.features.typescript` says whether this one does.
const nodeStripsTypes = Boolean((process.features as { typescript?: unknown }).typescript);

/** Starts `offgrid serve --config <file>`: resolves when it listens (then stops it) or when it exits. */
function serveWithConfig(config: string): Promise<{ started: boolean; code: number | null; output: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--schema', SCHEMA, '--database', ':memory:', '--port', '0', '--api-key', 'k', '--config', config], {
    env: { ...process.env, OFFGRID_LOG_LEVEL: 'warn' },
  });
  let output = '';
  return new Promise((done) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('offgrid serve: http')) {
        child.removeAllListeners('exit');
        child.once('exit', (code) => done({ started: true, code, output }));
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => done({ started: false, code, output }));
  });
}

describe('offgrid serve --config', () => {
  it('loads a JavaScript module (.mjs) on every Node', async () => {
    const file = join(dir, 'offgrid.config.mjs');
    writeFileSync(file, "export default { defaultConflict: { strategy: 'OPTIMISTIC_CONCURRENCY' } };\n");
    expect(await serveWithConfig(file)).toMatchObject({ started: true });
  });

  it(`a TypeScript config ${nodeStripsTypes ? 'loads (this Node strips types)' : 'is refused with what to do (this Node cannot strip types)'}`, async () => {
    const file = join(dir, 'app.config.ts');
    writeFileSync(
      file,
      "import type { ServerOptions } from '@offgrid/server';\nconst config: Partial<ServerOptions> = { defaultConflict: { strategy: 'AUTOMERGE' } };\nexport default config;\n",
    );
    const result = await serveWithConfig(file);
    if (nodeStripsTypes) {
      expect(result).toMatchObject({ started: true });
    } else {
      expect(result).toMatchObject({ started: false, code: 2 });
      expect(result.output).toMatch(/--config .*app\.config\.ts: Node .* cannot load a TypeScript file.*offgrid\.config\.mjs/);
    }
  });

  it('a missing file is named', async () => {
    const result = await serveWithConfig(join(dir, 'nope.mjs'));
    expect(result).toMatchObject({ started: false, code: 2 });
    expect(result.output).toMatch(/--config .*nope\.mjs: no such file/);
  });
});
