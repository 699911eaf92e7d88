/**
 * Child-process entry of the server and sync groups: `node src/server/run.mjs <group> <job>`, result over
 * IPC (or JSON on stdout when run alone). Jobs: src/server/jobs.mjs and src/sync/jobs.mjs.
 */
import { pgAvailable } from './harness.mjs';

const [group, id] = process.argv.slice(2);

async function run() {
  const { JOBS } = group === 'sync' ? await import('../sync/jobs.mjs') : await import('./jobs.mjs');
  const job = JOBS.find((j) => j.id === id);
  if (!job) return { id, error: `unknown ${group} job ${id}; known: ${JOBS.map((j) => j.id).join(', ')}` };
  try {
    if (job.pg) {
      const pg = await pgAvailable();
      if (!pg.ok) return { id, skipped: pg.reason };
    }
    return { id, ...(await job.run()) };
  } catch (error) {
    return { id, error: String(error?.stack ?? error) };
  }
}

const result = await run();
if (process.send) process.send(result, () => process.exit(0));
else {
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
