import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { betterSqlite3Driver } from './better-sqlite3-driver';
import { compileQuery } from './compile-query';
import { SqliteAdapter } from './sqlite-adapter';
import { buildTableLayout } from './table-layout';
import { testSchema, todoModel } from './test-schema.fixture';

async function planFor(query: Parameters<typeof compileQuery>[1]): Promise<string[]> {
  const db = new Database(':memory:');
  const adapter = new SqliteAdapter({ driver: betterSqlite3Driver(db) });
  await adapter.prepare(testSchema);
  await adapter.write(async (tx) => {
    for (let i = 0; i < 500; i++) {
      const id = `t${i}`;
      await tx.put('Todo', id, { id, owner: `o${i % 50}`, updatedAt: new Date(1e12 + i).toISOString(), title: `x${i}` });
    }
  });
  db.exec('ANALYZE');
  const plan = compileQuery(buildTableLayout(todoModel), query);
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`).all(...plan.params) as Array<{ detail: string }>;
  await adapter.close();
  return rows.map((r) => r.detail);
}

describe('query plans', () => {
  it('owner = ? ORDER BY updatedAt DESC LIMIT 100 walks the (owner, updatedAt) index with no sort step', async () => {
    const detail = await planFor({
      predicate: { type: 'field', field: 'owner', op: 'eq', value: 'o7' },
      sort: [{ field: 'updatedAt', direction: 'desc' }],
      limit: 100,
    });
    console.info(`EXPLAIN QUERY PLAN:\n${detail.join('\n')}`);
    expect(detail.join('\n')).toMatch(/SEARCH Todo USING INDEX Todo\(owner,updatedAt\) \(owner=\?\)/);
    expect(detail.some((d) => /^SCAN Todo/.test(d))).toBe(false);
    expect(detail.some((d) => /TEMP B-TREE/.test(d))).toBe(false);
  });

  it('looks records up by key and uses the key index for a range on it', async () => {
    const detail = await planFor({
      predicate: { type: 'field', field: 'id', op: 'beginsWith', value: 't1' },
      sort: [{ field: 'id', direction: 'asc' }],
    });
    expect(detail.join('\n')).toMatch(/SEARCH Todo USING (COVERING )?INDEX Todo\(id\) \(id>\? AND id<\?\)/);
    expect(detail.some((d) => /TEMP B-TREE/.test(d))).toBe(false);
  });
});
