// Debian's Chromium, as apps/e2e and the browser bench drive it (no downloaded browser); OFFGRID_CHROMIUM overrides.
const CHROMIUM = process.env.OFFGRID_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * The `browser` options of a package's `chromium` vitest project (its `*.browser.test.ts` files in real
 * Chromium), shared by @offgrid/core (IndexedDB) and @offgrid/sqlite (OPFS). Each package passes its own
 * `playwright` provider (a devDependency of the package; this file, at the root, resolves nothing).
 *
 * @example
 * { test: { name: 'chromium', include: ['src/**\/*.browser.test.ts'], browser: chromiumBrowser(playwright) } }
 */
export function chromiumBrowser<P>(playwright: (options: { launchOptions: { executablePath: string; args: string[] } }) => P) {
  return {
    enabled: true,
    headless: true,
    screenshotFailures: false,
    provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
    instances: [{ browser: 'chromium' as const }],
  };
}
