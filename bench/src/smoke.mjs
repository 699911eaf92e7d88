/**
 * Smoke run: every workload at BENCH_QUICK sizes, then checks that each system that ran produced numbers
 * for W1-W4 (W4 only where it has live queries), answered W3 correctly, and ended in the same final state
 * (record count and priority sum) as every other system. Systems whose Offgrid adapter is not exported
 * yet are reported as skipped; a system that fails makes the smoke fail.
 *
 *   pnpm --filter @offgrid/bench run bench:smoke
 */
process.env.BENCH_QUICK = '1';
const { runBench } = await import('./main.mjs');
const { renderTable } = await import('./table.mjs');

const report = await runBench();
process.stdout.write(`\n${renderTable(report)}\n`);

const finite = (x) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const ran = report.systems.filter((s) => s.results);
const states = new Set(ran.map((s) => `${s.results.final.count}/${s.results.final.prioritySum}`));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const s of report.systems) {
  const problems = [];
  if (s.skipped) {
    skipped++;
    console.log(`SKIP ${s.id}: ${s.skipped}`);
    continue;
  }
  if (s.error) problems.push(`failed: ${s.error}`);
  const r = s.results;
  if (r) {
    if (!finite(r.w1.median)) problems.push('W1 has no number');
    if (!finite(r.w2.p50) || !finite(r.w2.p99)) problems.push('W2 has no numbers');
    if (!finite(r.w3.p50) || !finite(r.w3.p99)) problems.push('W3 has no numbers');
    if (!r.w3.correct) problems.push('W3 returned wrong ids');
    if (!r.w4.skipped && (!finite(r.w4.p50) || !finite(r.w4.p95) || r.w4.writes < 1)) problems.push('W4 has no numbers');
    if (!r.final.equal) problems.push(`final state ${JSON.stringify(r.final)} is not the expected one`);
    if (states.size !== 1) problems.push(`final states differ between systems: ${[...states].join(', ')}`);
  }
  if (problems.length > 0) {
    failed++;
    console.log(`FAIL ${s.id}: ${problems.join('; ')}`);
  } else {
    passed++;
    console.log(`ok   ${s.id}`);
  }
}
if (passed === 0) failed++;
console.log(`smoke: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
