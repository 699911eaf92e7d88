import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCodegen } from '@offgrid/cli';
import { describe, expect, it } from 'vitest';

describe('the demo models', () => {
  it('are generated from examples/todo.graphql and up to date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'todo-models-'));
    try {
      runCodegen(resolve(__dirname, '../../../examples/todo.graphql'), dir);
      for (const f of ['models.ts', 'schema.ts', 'index.ts']) {
        expect(readFileSync(join(dir, f), 'utf8'), `${f} is stale: run offgrid codegen again`).toBe(readFileSync(join(__dirname, 'models', f), 'utf8'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
