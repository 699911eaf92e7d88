import { UnknownModelError } from '@offgrid/core';
import type { NormalizedSchema } from '@offgrid/schema';
import { assertDistinctTableNames, buildTableLayout, type TableLayout } from './table-layout';

/**
 * The layouts of the prepared schema's models and which of their tables do not exist yet (after `reset()`
 * dropped them; they are recreated by the first write). Immutable: a transaction keeps the catalog it
 * started with, so a concurrent `prepare` cannot change tables under a running read.
 *
 * @example
 * const catalog = TableCatalog.fromSchema(schema)
 * catalog.layout('Todo').table // '"Todo"'
 */
export class TableCatalog {
  static readonly empty = new TableCatalog(new Map(), new Set());

  constructor(
    readonly layouts: ReadonlyMap<string, TableLayout>,
    readonly missing: ReadonlySet<string>,
  ) {}

  static fromSchema(schema: NormalizedSchema): TableCatalog {
    const models = Object.values(schema.models);
    assertDistinctTableNames(models.map((m) => m.name));
    return new TableCatalog(new Map(models.map((m) => [m.name, buildTableLayout(m)])), new Set());
  }

  /** @throws {UnknownModelError} for a model the prepared schema does not have. */
  layout(model: string): TableLayout {
    const layout = this.layouts.get(model);
    if (!layout) throw new UnknownModelError(model, [...this.layouts.keys()]);
    return layout;
  }

  /** The same layouts with every table missing (after a reset). */
  withAllMissing(): TableCatalog {
    return new TableCatalog(this.layouts, new Set(this.layouts.keys()));
  }

  /** The same layouts with these tables created. */
  withCreated(models: Iterable<string>): TableCatalog {
    const missing = new Set(this.missing);
    for (const model of models) missing.delete(model);
    return new TableCatalog(this.layouts, missing);
  }
}
