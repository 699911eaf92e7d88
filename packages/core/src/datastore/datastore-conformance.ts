import { parseSchema } from '@offgrid/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StorageAdapter } from '../storage/storage-adapter';
import { createDataStore } from './data-store';

const SDL = /* GraphQL */ `
  type Project @model {
    id: ID!
    name: String!
    tasks: [Task] @hasMany(indexName: "byProject", fields: ["id"])
  }
  type Task @model {
    id: ID!
    title: String!
    done: Boolean!
    priority: Int
    projectID: ID @index(name: "byProject", sortKeyFields: ["title"])
    project: Project @belongsTo(fields: ["projectID"])
  }
`;
const schema = parseSchema(SDL);
type Models = { Project: Record<string, any>; Task: Record<string, any> };
const tick = () => new Promise((r) => setTimeout(r, 0));

/** Options of {@link describeDataStoreConformance}. */
export interface DataStoreConformanceOptions {
  /** An adapter over the same persisted data as `previous` (closing it first if needed), as after a restart. */
  reopen?: (previous: StorageAdapter) => Promise<StorageAdapter>;
  /** fast-check runs of the live-query property (default 25). */
  runs?: number;
}

/**
 * The DataStore-level checks every storage adapter must pass on top of the storage conformance suite:
 * live queries stay equal to fresh queries under random writes, records and their outbox entries commit
 * together and survive restarts, and relations work through the adapter's queries.
 *
 * @example
 * describeDataStoreConformance('sqlite', () => createSqliteAdapter(tempFile()))
 */
export function describeDataStoreConformance(name: string, create: () => StorageAdapter | Promise<StorageAdapter>, options: DataStoreConformanceOptions = {}): void {
  describe(`DataStore on ${name}`, () => {
    it('property: after random writes a live query equals a fresh query', async () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('create' as const), title: fc.constantFrom('a', 'b', 'c', 'd'), priority: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), done: fc.boolean() }),
        fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), priority: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), done: fc.boolean() }),
        fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 30 }), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }), fc.boolean(), async (ops, limit, desc) => {
          const store = createDataStore<Models>({ schema, storage: await create() });
          const { Task } = store.models;
          const predicate = (p: any) => p.or((p: any) => [p.done.eq(false), p.priority.ge(3)]);
          const sort = (s: any) => s.priority(desc ? 'DESCENDING' : 'ASCENDING').title('ASCENDING');
          const observer = store.liveQuery(Task, predicate, { sort, ...(limit ? { limit } : {}) });
          const stop = observer.subscribe(() => {});
          await tick();
          for (const o of ops) {
            const all = await store.query(Task);
            if (o.kind === 'create') await store.save(new Task({ title: o.title, priority: o.priority, done: o.done }));
            else if (all.length === 0) continue;
            else if (o.kind === 'update') await store.save(Task.copyOf(all[o.pick % all.length]!, (d: any) => { d.priority = o.priority; d.done = o.done; }));
            else await store.delete(all[o.pick % all.length]!);
          }
          const fresh = (await store.query(Task, predicate, { sort, ...(limit ? { limit } : {}) })).map((t) => t.id);
          // A window refill reads storage asynchronously: wait (bounded) for the observer to settle.
          for (let i = 0; i < 200 && JSON.stringify(observer.getCurrentResult().items.map((t) => t.id)) !== JSON.stringify(fresh); i++) await tick();
          expect(observer.getCurrentResult().items.map((t) => t.id)).toEqual(fresh);
          stop();
          await store.close();
        }),
        { numRuns: options.runs ?? 25 },
      );
    }, 120_000);

    it('a failing bulk save writes no record and no outbox entry', async () => {
      const store = createDataStore<Models>({ schema, storage: await create() });
      const { Task } = store.models;
      await expect(store.saveMany([new Task({ title: 'ok', done: false }), { title: 'not a record' }])).rejects.toThrow();
      expect(await store.query(Task)).toEqual([]);
      expect(await store.pendingMutations()).toEqual([]);
      await store.close();
    });

    it('filters across relations and deletes dependents through the adapter', async () => {
      const store = createDataStore<Models>({ schema, storage: await create() });
      const { Project, Task } = store.models;
      const p = await store.save(new Project({ name: 'Launch' }));
      await store.save(new Task({ title: 't1', done: false, project: p }));
      await store.save(new Task({ title: 't2', done: true, project: p }));
      expect((await store.query(Task, (t: any) => t.project.name.eq('Launch'))).length).toBe(2);
      expect((await (p.tasks as any).toArray()).length).toBe(2);
      await store.delete(p);
      expect(await store.query(Task)).toEqual([]);
      await store.close();
    });

    if (options.reopen) {
      const reopen = options.reopen;
      it('records and the outbox survive a restart, in order', async () => {
        const first = await create();
        const store = createDataStore<Models>({ schema, storage: first });
        const { Task } = store.models;
        const a = await store.save(new Task({ title: 'a', done: false }));
        await store.save(Task.copyOf(a, (d: any) => { d.done = true; }));
        await store.save(new Task({ title: 'b', done: false }));
        const before = await store.pendingMutations();
        await store.stop();
        const again = createDataStore<Models>({ schema, storage: await reopen(first) });
        expect(await again.pendingMutations()).toEqual(before);
        expect((await again.query(again.models.Task, undefined, { sort: (s: any) => s.title('ASCENDING') })).map((t) => [t.title, t.done])).toEqual([['a', true], ['b', false]]);
        await again.close();
      });
    }
  });
}
