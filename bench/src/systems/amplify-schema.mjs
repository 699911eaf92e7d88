const field = (name, type, isRequired = false, extra = {}) => ({ name, isArray: false, type, isRequired, attributes: [], ...extra });

/**
 * The introspection schema Amplify's codegen writes (`src/models/schema.js`), by hand for Item. The
 * primary-key attribute on `id` makes the id "optionally managed": without it Amplify ignores the id
 * passed to the constructor and makes its own, and the benchmark could not find records by id.
 */
export const amplifySchema = {
  models: {
    Item: {
      name: 'Item',
      fields: {
        id: field('id', 'ID', true),
        title: field('title', 'String', true),
        done: field('done', 'Boolean', true),
        priority: field('priority', 'Int'),
        owner: field('owner', 'String'),
        changedAt: field('changedAt', 'AWSDateTime'),
        body: field('body', 'String'),
        createdAt: field('createdAt', 'AWSDateTime', false, { isReadOnly: true }),
        updatedAt: field('updatedAt', 'AWSDateTime', false, { isReadOnly: true }),
      },
      syncable: true,
      pluralName: 'Items',
      attributes: [
        { type: 'model', properties: {} },
        { type: 'key', properties: { fields: ['id'] } },
        { type: 'key', properties: { name: 'byOwner', fields: ['owner', 'changedAt'] } },
      ],
    },
  },
  enums: {},
  nonModels: {},
  codegenVersion: '3.4.4',
  version: 'offgrid-bench-item-1',
};

