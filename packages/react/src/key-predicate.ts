import { ValidationError, type DataStore, type KeyInput, type PredicateNode } from '@offgrid/core';

type ModelDefinition = DataStore['schema']['models'][string];

/**
 * The predicate selecting one record by its key: the id string, or the key fields of a custom or
 * composite primary key.
 *
 * @example
 * keyPredicate(store.schema.models.Todo, 'todo-1') // { type: 'field', field: 'id', op: 'eq', value: 'todo-1' }
 */
export function keyPredicate(model: ModelDefinition, key: KeyInput): PredicateNode {
  const fields = model.primaryKey;
  if (typeof key === 'string') {
    if (fields.length !== 1) {
      throw new ValidationError(model.name, fields[0], `has a composite key; pass { ${fields.join(', ')} } instead of a string`);
    }
    return { type: 'field', field: fields[0]!, op: 'eq', value: key };
  }
  const children: PredicateNode[] = fields.map((field) => {
    if (key[field] === undefined || key[field] === null) {
      throw new ValidationError(model.name, field, `is part of the primary key; pass it to useItem (key fields: ${fields.join(', ')})`);
    }
    return { type: 'field', field, op: 'eq', value: key[field] };
  });
  return children.length === 1 ? children[0]! : { type: 'and', children };
}
