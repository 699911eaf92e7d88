/**
 * Child-process entry: runs W1-W4 for one system and sends the result to the parent over IPC.
 * `node --expose-gc src/run-system.mjs <system-id>`; run alone it prints the result as JSON.
 */
import { SYSTEMS } from './systems/index.mjs';
import { runWorkloads } from './workloads.mjs';

const id = process.argv[2];
const entry = SYSTEMS.find((s) => s.id === id);

async function run() {
  if (!entry) return { id, error: `unknown system ${id}; known: ${SYSTEMS.map((s) => s.id).join(', ')}` };
  let system;
  try {
    system = await entry.load();
    const available = await system.available();
    const base = { id, label: system.label, storage: system.storage, notes: system.notes ?? [] };
    if (!available.ok) return { ...base, skipped: available.reason };
    return { ...base, version: available.version, results: await runWorkloads(system) };
  } catch (error) {
    return { id, label: system?.label ?? id, storage: system?.storage, notes: system?.notes ?? [], error: String(error?.stack ?? error) };
  }
}

const result = await run();
if (process.send) process.send(result, () => process.exit(0));
else {
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
