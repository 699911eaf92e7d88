import { createDataStore } from '@offgrid/core';
import { parseSchema } from '@offgrid/schema';
import { expect, it } from 'vitest';
import { createOpfsSqliteAdapter } from '../opfs';

const schema = parseSchema(/* GraphQL */ `
  type Note @model {
    id: ID!
    text: String!
  }
`);
type Models = { Note: { id: string; text: string } };

async function until<T>(read: () => T, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let waited = 0; ; waited += 20) {
    const value = read();
    if (ok(value)) return value;
    if (waited > 30_000) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("two tabs' stores on one OPFS database see each other's saves in their live queries (by default)", async () => {
  const file = `stores-${crypto.randomUUID().slice(0, 8)}.db`;
  const name = `notes-${file}`;
  const a = createDataStore<Models>({ schema, name, storage: createOpfsSqliteAdapter({ file }) });
  const b = createDataStore<Models>({ schema, name, storage: createOpfsSqliteAdapter({ file }) });
  try {
    await a.start();
    await b.start();
    let seenByA: string[] = [];
    const sub = a.observeQuery(a.models.Note).subscribe(({ items }) => (seenByA = items.map((n) => n.text)));
    await b.save(new b.models.Note({ text: 'saved in tab b' }));
    expect(await until(() => seenByA, (v) => v.length === 1, "b's save in a's live query")).toEqual(['saved in tab b']);
    sub.unsubscribe();
    expect((await a.query(a.models.Note)).map((n) => n.text)).toEqual(['saved in tab b']);
  } finally {
    await b.close();
    await a.close();
  }
});
