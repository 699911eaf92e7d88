/** RxDB's schema for Item, shared by the Node and browser groups (and the sync group's RxDB server). */
export const schema = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    title: { type: 'string' },
    done: { type: 'boolean' },
    // Indexed numbers need bounds and a step; indexed strings need maxLength.
    priority: { type: 'number', minimum: 0, maximum: 1000, multipleOf: 1 },
    owner: { type: 'string', maxLength: 20 },
    changedAt: { type: 'string', format: 'date-time', maxLength: 30 },
    body: { type: 'string' },
  },
  required: ['id', 'title', 'done', 'priority', 'owner', 'changedAt', 'body'],
  indexes: [['owner', 'changedAt'], 'priority'],
};
