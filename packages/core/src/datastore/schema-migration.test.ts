import { parseSchema } from '@offgrid/schema';
import { describe, expect, it } from 'vitest';
import { SchemaMigrationError } from '../errors';
import { MemoryAdapter } from '../storage/memory/memory-adapter';
import { createDataStore } from './data-store';

type Models = { Note: Record<string, any>; Tag: Record<string, any> };
const v1 = parseSchema(`type Note @model { id: ID! text: String! }`);
const v2additive = parseSchema(`type Note @model { id: ID! text: String! pinned: Boolean } type Tag @model { id: ID! label: String! }`);
const v3breaking = parseSchema(`type Note @model { id: ID! body: String! }`);

describe('schema changes', () => {
  it('an additive change keeps local records and the outbox', async () => {
    const storage = new MemoryAdapter();
    const old = createDataStore<Models>({ schema: v1, storage });
    await old.save(new old.models.Note({ text: 'keep me' }));
    const next = createDataStore<Models>({ schema: v2additive, storage });
    const notes = await next.query(next.models.Note);
    expect(notes.map((n) => n.text)).toEqual(['keep me']);
    expect(await next.pendingMutations()).toHaveLength(1);
    await next.save(new next.models.Tag({ label: 'new model works' }));
  });

  it('a breaking change with unsent writes refuses to open and deletes nothing', async () => {
    const storage = new MemoryAdapter();
    const old = createDataStore<Models>({ schema: v1, storage });
    await old.save(new old.models.Note({ text: 'unsent' }));
    const next = createDataStore<Models>({ schema: v3breaking, storage });
    const error = await next.start().catch((e) => e);
    expect(error).toBeInstanceOf(SchemaMigrationError);
    expect(error.message).toMatch(/Note\.text/);
    expect(error.pendingMutations).toHaveLength(1);
    // Still there for the old schema.
    const again = createDataStore<Models>({ schema: v1, storage });
    expect(await again.pendingMutations()).toHaveLength(1);
  });

  it('a breaking change hands unsent writes to onBreakingSchemaChange before resetting', async () => {
    const storage = new MemoryAdapter();
    const old = createDataStore<Models>({ schema: v1, storage });
    await old.save(new old.models.Note({ text: 'export me' }));
    const exported: unknown[] = [];
    const next = createDataStore<Models>({
      schema: v3breaking,
      storage,
      onBreakingSchemaChange: ({ pendingMutations }) => { exported.push(...pendingMutations); },
    });
    expect(await next.query(next.models.Note)).toEqual([]);
    expect(exported).toMatchObject([{ operation: 'create', record: { text: 'export me' } }]);
  });
});
