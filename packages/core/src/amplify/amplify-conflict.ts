import type { ConflictHandler } from '../conflict/conflict-handler';
import type { ModelConstructor } from '../schema/init-schema';
import { OpType, type AmplifyConflictHandler } from './amplify-types';

const OP_TYPES = { create: OpType.INSERT, update: OpType.UPDATE, delete: OpType.DELETE } as const;

/**
 * Runs an Amplify conflict handler as Offgrid's: it gets `{ modelConstructor, localModel, remoteModel,
 * operation, attempts }` with the app's own model class and Amplify's `OpType`, and its answer (`DISCARD` or
 * a record such as `Post.copyOf(remoteModel, ...)`) goes back to the sync engine unchanged.
 *
 * @example
 * const handler = amplifyConflictHandler(userHandler, (name) => models[name])
 */
export function amplifyConflictHandler(handler: AmplifyConflictHandler, constructorOf: (model: string) => ModelConstructor<any> | undefined): ConflictHandler {
  return (async ({ modelName, local, remote, operation, attempts }) => {
    const modelConstructor = constructorOf(modelName);
    if (!modelConstructor) throw new Error(`conflictHandler: no model class for "${modelName}"; call initSchema(schema) before DataStore.configure().`);
    return handler({ modelConstructor, localModel: local, remoteModel: remote, operation: OP_TYPES[operation], attempts });
  }) as ConflictHandler;
}
