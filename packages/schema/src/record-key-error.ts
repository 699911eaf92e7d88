/**
 * A record lacks a value for one of its model's primary key fields, so it has no identity yet.
 *
 * @example
 * ```ts
 * try { modelKeyOf(post, { title: 'x' }); } catch (e) { if (e instanceof RecordKeyError) console.log(e.field); }
 * ```
 */
export class RecordKeyError extends Error {
  readonly code = 'RECORD_KEY_MISSING' as const;
  readonly model: string;
  readonly field: string;

  constructor(model: string, field: string) {
    super(
      `${model} record has no value for primary key field "${field}". Set ${model}.${field} before saving or looking the record up.`,
    );
    this.name = 'RecordKeyError';
    this.model = model;
    this.field = field;
  }
}
