/** The four demo apps, by the name used in their package (`@offgrid/todo-<name>`). */
export type AppName = 'react' | 'vue' | 'angular' | 'svelte';

/** One app the suite can open: a static server over its `dist`. */
export interface ServedApp {
  name: AppName;
  label: string;
  /** Origin of its static server, ending in `/`. */
  url: string;
  dist: string;
  /** Extra query parameters its pages are opened with (`{ storage: 'opfs' }`: SQLite on OPFS, not IndexedDB). */
  query?: Record<string, string>;
}

/** What the global setup hands to the tests. */
export interface E2EContext {
  /** The real `offgrid serve` the apps sync with. */
  graphqlUrl: string;
  apps: ServedApp[];
  /** Apps skipped because they have no build (only with OFFGRID_E2E_ALLOW_MISSING=1). */
  missing: Array<{ name: AppName; label: string; reason: string }>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2EContext;
  }
}
