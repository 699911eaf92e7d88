import type { ModelDefinition } from '../types';

/** The AppSync names of a model's operations and types, as Amplify's transformer generates them. */
export interface ModelApiNames {
  type: string;
  get: string;
  list: string;
  sync: string;
  create: string;
  update: string;
  delete: string;
  onCreate: string;
  onUpdate: string;
  onDelete: string;
  connection: string;
  filterInput: string;
  conditionInput: string;
  subscriptionFilterInput: string;
  createInput: string;
  updateInput: string;
  deleteInput: string;
}

/**
 * The operation names for a model: `getTodo`, `listTodos`, `syncTodos`, `createTodo`, `onCreateTodo`, ...
 *
 * @example
 * apiNames(schema.models.Shelf!).sync // 'syncShelves'
 */
export function apiNames(model: ModelDefinition): ModelApiNames {
  const n = model.name;
  const p = model.pluralName;
  return {
    type: n,
    get: `get${n}`,
    list: `list${p}`,
    sync: `sync${p}`,
    create: `create${n}`,
    update: `update${n}`,
    delete: `delete${n}`,
    onCreate: `onCreate${n}`,
    onUpdate: `onUpdate${n}`,
    onDelete: `onDelete${n}`,
    connection: `Model${n}Connection`,
    filterInput: `Model${n}FilterInput`,
    conditionInput: `Model${n}ConditionInput`,
    subscriptionFilterInput: `ModelSubscription${n}FilterInput`,
    createInput: `Create${n}Input`,
    updateInput: `Update${n}Input`,
    deleteInput: `Delete${n}Input`,
  };
}
