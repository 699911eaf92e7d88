// Profiling helper: W1 only (bulk load 10k) on one system, N runs, for `node --cpu-prof`.
// node --cpu-prof --cpu-prof-dir=/tmp/prof src/profile-w1.mjs offgrid-memory 5
import { makeRecords } from './data.mjs';
import { SYSTEMS } from './systems/index.mjs';

const [id, runsArg = '5', what = 'w1'] = process.argv.slice(2);
const entry = SYSTEMS.find((s) => s.id === id);
if (!entry) throw new Error(`unknown system ${id}: ${SYSTEMS.map((s) => s.id).join(', ')}`);
const system = await entry.load();
await system.available();
const { load } = makeRecords();
const times = [];
const cpu = [];
for (let run = 0; run < Number(runsArg); run++) {
  const db = await system.open(run);
  globalThis.gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await system.bulkLoad(db, load);
  const c = process.cpuUsage(c0);
  times.push(performance.now() - t0);
  cpu.push((c.user + c.system) / 1000);
  if (what === 'w3') {
    const q = [];
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      await system.queryOwner(db, `owner-${String(i % 50).padStart(2, '0')}`);
      q.push(performance.now() - t);
    }
    q.sort((a, b) => a - b);
    console.log(`w3 p50 ${q[500].toFixed(3)} ms`);
  }
  await system.close(db);
}
console.log(id, 'wall', times.map((t) => t.toFixed(1)).join(' '), '| cpu', cpu.map((t) => t.toFixed(1)).join(' '), '| min cpu', Math.min(...cpu).toFixed(1));
