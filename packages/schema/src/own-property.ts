/**
 * `map[name]` when `name` is one of the map's own keys, otherwise undefined. Use it wherever input names a
 * model, field, enum or operator: a plain object also answers `toString`, `constructor` or `__proto__`
 * through its prototype, which would turn a typo or a hostile name into a function or `Object.prototype`
 * instead of "unknown".
 *
 * @example
 * ownProperty(schema.models, 'toString') // undefined, not Object.prototype.toString
 */
export function ownProperty<T>(map: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

/**
 * An empty object without a prototype, for the tables the parser fills while it reads the SDL (a model's
 * fields): `table.toString` is then undefined unless a field really has that name. The parsed schema
 * itself is plain JSON; read its tables by a name from input with {@link ownProperty}.
 *
 * @example
 * const fields = nameTable<FieldDefinition>(); fields.title = field;
 */
export function nameTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
