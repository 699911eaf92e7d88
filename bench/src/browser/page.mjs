/**
 * The browser page's entry (bundled by esbuild): `window.runBench(id, sizes)` runs W1-W4 for one system
 * with the Node group's workload code (`../workloads.mjs`) and returns its results.
 */
import { config } from '../config.mjs';
import { runWorkloads } from '../workloads.mjs';
import { BROWSER_SYSTEMS } from './systems.mjs';

globalThis.runBench = async (id, sizes) => {
  const make = BROWSER_SYSTEMS[id];
  if (!make) throw new Error(`unknown browser system ${id}`);
  // Sizes are a module-level object read at call time; the scale run (100,000 records) overrides them.
  Object.assign(config, sizes);
  const system = await make();
  const results = await runWorkloads(system);
  return { label: system.label, storage: system.storage, notes: system.notes ?? [], crossOriginIsolated: globalThis.crossOriginIsolated === true, results };
};
