/** The server group's jobs, in run order; each runs in its own child process (`src/server/run.mjs <job>`). */

export const JOBS = [
  { id: 'floor-sqlite', run: async () => (await import('./push.mjs')).sqliteFloor() },
  { id: 'push-sqlite', run: async () => (await import('./push.mjs')).offgridPush('sqlite') },
  { id: 'floor-postgres', pg: true, run: async () => (await import('./push.mjs')).pgFloor() },
  { id: 'push-postgres', pg: true, run: async () => (await import('./push.mjs')).offgridPush('postgres') },
  { id: 'push-postgres-2', pg: true, run: async () => (await import('./push.mjs')).offgridPush('postgres', { processes: 2 }) },
  { id: 'fanout', run: async () => ({ rows: await (await import('./fanout.mjs')).runFanout() }) },
];
