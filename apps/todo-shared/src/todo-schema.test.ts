import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { todoSDL } from './todo-schema';

describe('the demo schema', () => {
  it('is the same text offgrid serve loads', () => {
    expect(todoSDL).toBe(readFileSync(resolve(__dirname, '../../../examples/todo.graphql'), 'utf8'));
  });
});
