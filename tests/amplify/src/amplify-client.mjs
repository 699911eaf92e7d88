// One unmodified Amplify DataStore client (aws-amplify v6) in its own Node process, driven over stdin/stdout:
// each stdin line is a JSON command `{ $id, cmd, ...args }`, answered on stdout with `{ $id, ok, result | error }`;
// events that Amplify raises by itself (observeQuery snapshots, conflictHandler and errorHandler calls, Hub
// events) are written as `{ event, ... }` lines. DataStore is a singleton, hence one process per client.
//
// The globals are what the browser would give Amplify (browser-globals.cjs).
import './browser-globals.cjs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { format } from 'node:util';

// stdout carries the protocol: Amplify's own logging goes to stderr.
for (const level of ['log', 'info', 'debug']) console[level] = (...args) => process.stderr.write(`${format(...args)}\n`);

// CommonJS on purpose: @aws-amplify/datastore has no `exports` map, so Node loads its CommonJS build, and
// `Amplify.configure` must configure the same copy of @aws-amplify/core that DataStore uses.
const require = createRequire(import.meta.url);
const { Amplify } = require('aws-amplify');
const { Hub } = require('aws-amplify/utils');
const { decodeJWT } = require('aws-amplify/auth');
const { DataStore, DISCARD, initSchema, syncExpression, AuthModeStrategyType } = require('@aws-amplify/datastore');

const emit = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const plain = (value) => JSON.parse(JSON.stringify(value ?? null));

let models;
const subscriptions = new Map();

Hub.listen('datastore', ({ payload }) => {
  const { event, data } = payload;
  emit({ event: 'hub', name: event, data: event === 'outboxMutationEnqueued' || event === 'outboxMutationProcessed' ? { model: data?.model?.name, element: plain(data?.element) } : plain(data) });
});

function model(name) {
  const ctor = models[name];
  if (!ctor) throw new Error(`unknown model ${name}`);
  return ctor;
}

/** `{ field, op, value }` (or a list of them, combined with and) as a DataStore predicate. */
function predicate(spec) {
  const list = Array.isArray(spec) ? spec : [spec];
  return (m) => (list.length === 1 ? m[list[0].field][list[0].op](list[0].value) : m.and((x) => list.map((p) => x[p.field][p.op](p.value))));
}

/** Turns relation ids into model instances (`shelf: { id }` -> the Shelf record). */
async function withRelations(name, fields) {
  const out = { ...fields };
  for (const [k, v] of Object.entries(fields)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && v.$model) out[k] = await DataStore.query(model(v.$model), v.id);
  }
  return out;
}

const commands = {
  async configure({ schema, endpoint, authMode = 'apiKey', apiKey, token, multiAuth = false, conflict = 'discard', syncExpressions = [], maxRecordsToSync, syncPageSize }) {
    const { schema: introspection } = await import(schema);
    models = initSchema(introspection);
    // The exact configuration an Amplify Gen 1 app has in aws-exports.js, with the endpoint changed.
    const awsExports = {
      aws_project_region: 'us-east-1',
      aws_appsync_graphqlEndpoint: endpoint,
      aws_appsync_region: 'us-east-1',
      aws_appsync_authenticationType: authMode === 'apiKey' ? 'API_KEY' : authMode === 'oidc' ? 'OPENID_CONNECT' : 'AMAZON_COGNITO_USER_POOLS',
      ...(apiKey ? { aws_appsync_apiKey: apiKey } : {}),
    };
    // Signed-in users without Cognito: a token provider hands Amplify the JWT that `offgrid serve --jwt-secret`
    // (or --jwks-url) verifies. Amplify sends `tokens.accessToken` in Authorization and reads the owner from `idToken`.
    const libraryOptions = token
      ? { Auth: { tokenProvider: { getTokens: async () => ({ accessToken: decodeJWT(token), idToken: decodeJWT(token) }) } } }
      : {};
    Amplify.configure(awsExports, libraryOptions);
    DataStore.configure({
      ...(multiAuth ? { authModeStrategyType: AuthModeStrategyType.MULTI_AUTH } : {}),
      ...(maxRecordsToSync ? { maxRecordsToSync } : {}),
      ...(syncPageSize ? { syncPageSize } : {}),
      syncExpressions: syncExpressions.map((s) => syncExpression(model(s.model), () => predicate(s.where))),
      errorHandler: (error) => {
        emit({ event: 'errorHandler', error: { message: error.message, errorType: error.errorType, operation: error.operation, model: error.model, process: error.process, localModel: plain(error.localModel), remoteModel: plain(error.remoteModel) } });
      },
      conflictHandler: async ({ modelConstructor, localModel, remoteModel, operation, attempts }) => {
        emit({ event: 'conflictHandler', model: modelConstructor.name, operation, attempts, localModel: plain(localModel), remoteModel: plain(remoteModel) });
        // A record deleted on the server cannot take an update: keep the server's version (Amplify's advice).
        if (conflict === 'discard' || remoteModel?._deleted) return DISCARD;
        // 'retry': keep what this client changed, on top of the server's record (Amplify's documented pattern).
        return modelConstructor.copyOf(remoteModel, (draft) => {
          for (const [k, v] of Object.entries(plain(localModel))) {
            if (k === 'id' || k.startsWith('_') || k === 'createdAt' || k === 'updatedAt' || v === null || v === undefined) continue;
            draft[k] = v;
          }
        });
      },
    });
    return true;
  },
  async start() {
    const ready = new Promise((resolve) => {
      const stop = Hub.listen('datastore', ({ payload }) => {
        if (payload.event === 'ready') {
          stop();
          resolve();
        }
      });
    });
    await DataStore.start();
    await ready;
    return true;
  },
  async save({ model: name, fields }) {
    return plain(await DataStore.save(new (model(name))(await withRelations(name, fields))));
  },
  async update({ model: name, id, fields }) {
    const current = await DataStore.query(model(name), id);
    if (!current) throw new Error(`${name} ${id} is not in the local store`);
    const resolved = await withRelations(name, fields);
    return plain(await DataStore.save(model(name).copyOf(current, (draft) => Object.assign(draft, resolved))));
  },
  async delete({ model: name, id }) {
    const current = await DataStore.query(model(name), id);
    if (!current) throw new Error(`${name} ${id} is not in the local store`);
    return plain(await DataStore.delete(current));
  },
  async query({ model: name, where }) {
    const rows = where ? await DataStore.query(model(name), predicate(where)) : await DataStore.query(model(name));
    return plain(rows).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  },
  async get({ model: name, id }) {
    return plain(await DataStore.query(model(name), id));
  },
  /** Lazy relations, as the app reads them: `await book.shelf`, `shelf.books.toArray()`. */
  async related({ model: name, id, field }) {
    const record = await DataStore.query(model(name), id);
    const value = await record[field];
    return plain(value && typeof value.toArray === 'function' ? await value.toArray() : value);
  },
  async observeQuery({ model: name, sub }) {
    const subscription = DataStore.observeQuery(model(name)).subscribe(({ items, isSynced }) => {
      emit({ event: 'snapshot', sub, isSynced, items: plain(items).sort((a, b) => String(a.id).localeCompare(String(b.id))) });
    });
    subscriptions.set(sub, subscription);
    return true;
  },
  async observe({ model: name, sub }) {
    const subscription = DataStore.observe(model(name)).subscribe(({ opType, element }) => emit({ event: 'observe', sub, opType, element: plain(element) }));
    subscriptions.set(sub, subscription);
    return true;
  },
  async unsubscribe({ sub }) {
    subscriptions.get(sub)?.unsubscribe();
    subscriptions.delete(sub);
    return true;
  },
  async offline() {
    globalThis.navigator.onLine = false;
    globalThis.dispatchEvent(new Event('offline'));
    return true;
  },
  async online() {
    globalThis.navigator.onLine = true;
    globalThis.dispatchEvent(new Event('online'));
    return true;
  },
  async stop() {
    await DataStore.stop();
    return true;
  },
  async exit() {
    setTimeout(() => process.exit(0), 10);
    return true;
  },
};

process.on('unhandledRejection', (error) => emit({ event: 'unhandledRejection', message: String(error?.stack ?? error) }));

createInterface({ input: process.stdin }).on('line', async (line) => {
  if (!line.trim()) return;
  const { $id, cmd, ...args } = JSON.parse(line);
  try {
    emit({ $id, ok: true, result: await commands[cmd](args) });
  } catch (error) {
    emit({ $id, ok: false, error: String(error?.stack ?? error) });
  }
});
emit({ event: 'started' });
