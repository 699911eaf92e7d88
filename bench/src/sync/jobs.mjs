/** The sync group's jobs (W5-W8), in run order; each runs in its own child process (`src/server/run.mjs sync <job>`),
 * killed after `timeoutMs` (default 600 s). */
export const JOBS = [
  { id: 'w5', run: async () => (await import('./w5.mjs')).runW5() },
  // The real Amplify client beside Offgrid, each in a fresh process; Amplify at 100,000 records takes minutes.
  { id: 'w5-fresh', timeoutMs: 1_800_000, run: async () => (await import('./w5-fresh.mjs')).runW5Fresh() },
  { id: 'w6', run: async () => (await import('./w6.mjs')).runW6() },
  { id: 'w7', run: async () => (await import('./w7.mjs')).runW7() },
  { id: 'w8', run: async () => (await import('./w8.mjs')).runW8() },
];
