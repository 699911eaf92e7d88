import { apiNames, type FieldDefinition, type ModelDefinition, type NormalizedSchema } from '@offgrid/schema';

function selection(schema: NormalizedSchema, fields: Record<string, FieldDefinition>, order: string[], seen: Set<string>): string {
  const parts: string[] = [];
  for (const name of order) {
    const f = fields[name]!;
    if (f.relation) continue;
    if (f.type.kind === 'nonModel') {
      const nm = schema.nonModels[f.type.name]!;
      if (seen.has(nm.name)) continue;
      parts.push(`${name} { ${selection(schema, nm.fields, nm.fieldOrder, new Set([...seen, nm.name]))} }`);
    } else {
      parts.push(name);
    }
  }
  return parts.join(' ');
}

/** The GraphQL documents the sync engine sends for one model. */
export interface ModelDocuments {
  sync: string;
  onCreate: string;
  onUpdate: string;
  onDelete: string;
  syncField: string;
  subscriptionFields: { onCreate: string; onUpdate: string; onDelete: string };
}

/**
 * Builds a model's sync query and subscriptions from the schema: every stored field (embedded types
 * expanded) plus `_version`, `_deleted`, `_lastChangedAt`.
 */
export function modelDocuments(schema: NormalizedSchema, model: ModelDefinition): ModelDocuments {
  const n = apiNames(model);
  const fields = `${selection(schema, model.fields, model.fieldOrder, new Set())} _version _deleted _lastChangedAt`;
  return {
    sync: `query Sync${model.pluralName}($limit: Int, $nextToken: String, $lastSync: AWSTimestamp, $filter: ${n.filterInput}) { ${n.sync}(limit: $limit, nextToken: $nextToken, lastSync: $lastSync, filter: $filter) { items { ${fields} } nextToken startedAt isFullSync total } }`,
    onCreate: `subscription { ${n.onCreate} { ${fields} } }`,
    onUpdate: `subscription { ${n.onUpdate} { ${fields} } }`,
    onDelete: `subscription { ${n.onDelete} { ${fields} } }`,
    syncField: n.sync,
    subscriptionFields: { onCreate: n.onCreate, onUpdate: n.onUpdate, onDelete: n.onDelete },
  };
}

/** The batched push every outbox drain sends. */
export const PUSH_MUTATIONS = `mutation Push($mutations: [OffgridMutationInput!]!) { pushMutations(mutations: $mutations) { mutationId record error { errorType message data } } }`;

/** Models ordered parents first (a belongsTo target before the model that points at it). */
export function syncOrder(schema: NormalizedSchema): ModelDefinition[] {
  const models = Object.values(schema.models);
  const done = new Set<string>();
  const out: ModelDefinition[] = [];
  const visit = (m: ModelDefinition, path: Set<string>) => {
    if (done.has(m.name) || path.has(m.name)) return;
    path.add(m.name);
    for (const f of Object.values(m.fields)) {
      if (f.relation?.kind === 'belongsTo' && f.relation.model !== m.name) visit(schema.models[f.relation.model]!, path);
    }
    done.add(m.name);
    out.push(m);
  };
  for (const m of models.sort((a, b) => a.name.localeCompare(b.name))) visit(m, new Set());
  return out;
}
