import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every published package as npm would ship it: `pnpm pack` (which also rewrites `workspace:*`), then publint on
// the tarball and @arethetypeswrong/cli on the same tarball. Both read only the tarball: no network.
const ROOT = resolve(__dirname, '../../..');
const execFileAsync = promisify(execFile);

type Profile = 'strict' | 'esm-only';
interface Published {
  /** The attw profile: what kinds of TypeScript resolution the package promises to work under. */
  profile: Profile;
  /** Entry points that ship as ESM only inside an otherwise dual package, checked with the esm-only profile. */
  esmOnlyEntrypoints?: string[];
}

// Dual packages (ESM + CJS builds) are held to `strict`: node10 (`moduleResolution: node`), node16 from CJS and
// from ESM, and bundler must all resolve types that match the JavaScript they get.
// The rest ship ESM only, by design (their frameworks and the server's dependencies are ESM-first), so they use
// `esm-only`, which ignores two resolutions: node16 from CJS (a CommonJS `require` gets the ESM build through
// Node's require(esm), which our `engines` (>=20.19) have unflagged, and attw can only call that a warning) and
// node10 (it predates `exports`; the `main`/`types` fields still serve it, it is just not required).
// `@offgrid/core/testing` is ESM only because the vitest it plugs into is.
const PUBLISHED: Record<string, Published> = {
  schema: { profile: 'strict' },
  core: { profile: 'strict', esmOnlyEntrypoints: ['./testing'] },
  // `@offgrid/sqlite/opfs` and its worker run only in browsers, as ES modules (a module worker).
  sqlite: { profile: 'strict', esmOnlyEntrypoints: ['./opfs', './opfs-worker'] },
  server: { profile: 'esm-only' },
  cli: { profile: 'esm-only' },
  react: { profile: 'esm-only' },
  vue: { profile: 'esm-only' },
  angular: { profile: 'esm-only' },
  svelte: { profile: 'esm-only' },
};

const work = mkdtempSync(join(tmpdir(), 'offgrid-package-lint-'));
const tarballs = new Map<string, string>();
const attwBin = (() => {
  const req = createRequire(import.meta.url);
  const pkgPath = req.resolve('@arethetypeswrong/cli/package.json');
  const bin = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin: Record<string, string> }).bin.attw!;
  return join(dirname(pkgPath), bin);
})();

beforeAll(async () => {
  // Two at a time: the machine has two cores, and pnpm pack is mostly process start-up.
  const names = Object.keys(PUBLISHED);
  for (let i = 0; i < names.length; i += 2) {
    await Promise.all(
      names.slice(i, i + 2).map(async (name) => {
        const { stdout } = await execFileAsync('pnpm', ['pack', '--pack-destination', work], { cwd: join(ROOT, 'packages', name) });
        const tgz = stdout.trim().split('\n').pop()!;
        tarballs.set(name, resolve(join(ROOT, 'packages', name), tgz));
      }),
    );
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function attw(tarball: string, args: string[]): Promise<string> {
  try {
    await execFileAsync(process.execPath, [attwBin, tarball, '--format', 'ascii', '--no-color', '--no-emoji', ...args]);
    return '';
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
  }
}

describe('published packages', () => {
  it('lists every package under packages/', () => {
    const dirs = readdirSync(join(ROOT, 'packages'), { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(dirs.map((d) => d.name).sort()).toEqual(Object.keys(PUBLISHED).sort());
  });

  for (const [name, published] of Object.entries(PUBLISHED)) {
    describe(`@offgrid/${name}`, () => {
      it('passes publint (strict: warnings count as errors)', async () => {
        const tarball = readFileSync(tarballs.get(name)!);
        const data = tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) as ArrayBuffer;
        const { messages, pkg } = await publint({ pack: { tarball: data }, strict: true, level: 'suggestion' });
        expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`)).toEqual([]);
      });

      // Concurrent (two at a time, see vitest.config.ts): each attw run is a process that loads TypeScript.
      it.concurrent(`has types that match its JavaScript (attw, profile ${published.profile})`, async () => {
        const tarball = tarballs.get(name)!;
        const exclude = published.esmOnlyEntrypoints ?? [];
        expect(await attw(tarball, ['--profile', published.profile, ...(exclude.length ? ['--exclude-entrypoints', ...exclude] : [])])).toBe('');
        if (exclude.length) expect(await attw(tarball, ['--profile', 'esm-only', '--entrypoints', ...exclude])).toBe('');
      });
    });
  }
});
