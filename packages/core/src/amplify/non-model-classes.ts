import type { NormalizedSchema } from '@offgrid/schema';
import { ValidationError } from '../errors';

/** A custom (non-model) type as Amplify's generated models export it: `new Location({ lat, lng })`. */
export interface NonModelConstructor<T extends object = Record<string, any>> {
  new (init: T): T;
  readonly typeName: string;
}

/**
 * One class per custom type of a schema. An instance is a frozen plain object of the given fields (what a
 * model stores in its embedded field); unknown or missing required fields are refused here, and the full
 * value check runs when the record holding it is saved.
 *
 * @example
 * const { Location } = nonModelClasses(schema)
 * new Post({ title: 'Oslo', location: new Location({ lat: 59.9, lng: 10.7 }) })
 */
export function nonModelClasses(schema: NormalizedSchema): Record<string, NonModelConstructor> {
  const classes: Record<string, NonModelConstructor> = {};
  for (const type of Object.values(schema.nonModels)) {
    // A function, not an arrow: `new Location({...})` must work, and return the plain frozen value itself.
    const ctor = function (this: unknown, init: Record<string, unknown>) {
      if (typeof init !== 'object' || init === null) throw new ValidationError(type.name, undefined, `expected an object of field values, got ${JSON.stringify(init)}`);
      const value: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(init)) {
        if (!type.fields[k]) throw new ValidationError(type.name, k, `not a field of ${type.name}; remove it (it has: ${type.fieldOrder.join(', ')})`);
        if (v !== undefined) value[k] = v;
      }
      for (const name of type.fieldOrder) {
        if (type.fields[name]!.required && (value[name] === undefined || value[name] === null)) throw new ValidationError(type.name, name, 'required but missing; give it a value');
      }
      return Object.freeze(value);
    } as unknown as NonModelConstructor;
    Object.defineProperties(ctor, { name: { value: type.name }, typeName: { value: type.name } });
    classes[type.name] = ctor;
  }
  return classes;
}
