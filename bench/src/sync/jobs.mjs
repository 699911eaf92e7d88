/** The sync group's jobs (W5-W8), in run order; each runs in its own child process (`src/server/run.mjs sync <job>`). */
export const JOBS = [
  { id: 'w5', run: async () => (await import('./w5.mjs')).runW5() },
  { id: 'w6', run: async () => (await import('./w6.mjs')).runW6() },
  { id: 'w7', run: async () => (await import('./w7.mjs')).runW7() },
  { id: 'w8', run: async () => (await import('./w8.mjs')).runW8() },
];
