import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerOptions } from '@offgrid/server';
import { UsageError } from './usage-error';

const TYPESCRIPT = /\.[cm]?ts$/;

/**
 * Loads the `--config` module of `offgrid serve`: its default export (or its named exports) as server
 * options. `.js`/`.mjs` load everywhere; `.ts` loads where Node strips types itself (22.18+, 23.6+), and
 * elsewhere fails with a {@link UsageError} saying to use `.mjs` or a newer Node.
 *
 * @example
 * const config = await loadServeConfig('offgrid.config.mjs')
 */
export async function loadServeConfig(path: string): Promise<Partial<ServerOptions>> {
  const file = resolve(path);
  let mod: { default?: Partial<ServerOptions> };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: Partial<ServerOptions> };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (TYPESCRIPT.test(file) && (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING')) {
      throw new UsageError(
        `--config ${path}: Node ${process.versions.node} cannot load a TypeScript file (Node 22.18 and later strip types by themselves). ` +
          'Write the config as JavaScript instead, e.g. offgrid.config.mjs with `export default { ... }` ' +
          '(a `/** @type {Partial<import("@offgrid/server").ServerOptions>} */` comment keeps it typed), or upgrade Node.',
      );
    }
    if (code === 'ERR_MODULE_NOT_FOUND' && (error as Error).message.includes(file)) {
      throw new UsageError(`--config ${path}: no such file (looked for ${file}).`);
    }
    throw error;
  }
  return mod.default ?? (mod as Partial<ServerOptions>);
}
