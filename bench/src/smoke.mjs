/**
 * Smoke run: every workload of the groups BENCH_ONLY selects (all by default) at BENCH_QUICK sizes.
 * Local group: checks that each system that ran produced numbers
 * for W1-W4 (W4 only where it has live queries), answered W3 correctly, and ended in the same final state
 * (record count and priority sum) as every other system. Systems whose Offgrid adapter is not exported
 * yet are reported as skipped; a system that fails makes the smoke fail.
 *
 *   pnpm --filter @offgrid/bench run bench:smoke
 */
process.env.BENCH_QUICK = '1';
const { runBench, runGroup, selectedGroups } = await import('./main.mjs');
const { renderTable } = await import('./table.mjs');
const groups = selectedGroups();

let passed = 0;
let failed = 0;
let skipped = 0;
const finite = (x) => typeof x === 'number' && Number.isFinite(x);
const verdict = (id, problems) => {
  if (problems.length > 0) {
    failed++;
    console.log(`FAIL ${id}: ${problems.join('; ')}`);
  } else {
    passed++;
    console.log(`ok   ${id}`);
  }
};
/** A job that failed fails the smoke; a skipped one (PostgreSQL not reachable) is reported as SKIP. */
const jobProblems = (j) => {
  if (j.skipped) {
    skipped++;
    console.log(`SKIP ${j.id}: ${j.skipped}`);
    return undefined;
  }
  return j.error ? [`failed: ${String(j.error).split('\n').slice(0, 4).join(' ')}`] : [];
};

if (groups.includes('local')) {
  const report = await runBench();
  process.stdout.write(`\n${renderTable(report)}\n`);

  const ran = report.systems.filter((s) => s.results);
  const states = new Set(ran.map((s) => `${s.results.final.count}/${s.results.final.prioritySum}`));
  const finite = (x) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
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
}

if (groups.includes('server')) {
  const { renderServerTable } = await import('./server/table.mjs');
  const report = await runGroup('server');
  process.stdout.write(`\n${renderServerTable(report)}\n`);
  for (const j of report.jobs) {
    const problems = jobProblems(j);
    if (!problems) continue;
    for (const r of j.rows ?? []) {
      if (j.id === 'fanout') {
        if (![r.p50, r.p99, r.sendP50, r.sendP99].every(finite)) problems.push(`${r.label} ${r.subscribers}: no numbers`);
      } else if (!(r.rowsPerSecond > 0) || !finite(r.p50) || !finite(r.p99)) problems.push(`${r.label}: no numbers`);
      if (r.errors) problems.push(`${r.label}: ${r.errors} mutations refused`);
    }
    if (j.versionsOk === false) problems.push('final _version != 1 + updates (lost or doubled write)');
    if (!j.error && !(j.rows?.length > 0)) problems.push('no rows');
    verdict(`server ${j.id}`, problems);
  }
}

if (groups.includes('sync')) {
  const { renderSyncTable } = await import('./sync/table.mjs');
  const report = await runGroup('sync');
  process.stdout.write(`\n${renderSyncTable(report)}\n`);
  for (const j of report.jobs) {
    const problems = jobProblems(j);
    if (!problems) continue;
    if (!j.error) {
      if (j.id === 'w5') for (const r of j.rows) if (r.error || !r.ok) problems.push(`${r.system} ${r.n}: ${r.error ?? `stored ${r.count}`}`);
      // A capped Amplify run is reported, not a failure; a wrong count or an error is.
      if (j.id === 'w5-fresh') for (const r of j.rows) if (r.error || (!r.capped && !r.ok)) problems.push(`${r.system} ${r.n}: ${r.error ?? `stored ${r.count}`}`);
      if (j.id === 'w6') for (const r of j.rows) if (!finite(r.p50) || !finite(r.p99) || !r.raw) problems.push(`${r.watchers} watchers: no numbers`);
      if (j.id === 'w7' && !j.equal) problems.push(`final states differ (${j.mismatches} records, ${j.deadLetters} dead letters)`);
      if (j.id === 'w8' && !(j.exact && j.correct)) problems.push(`moved ${j.itemsReceived} of ${j.changed}, local state ${j.correct ? 'right' : 'WRONG'}`);
    }
    verdict(`sync ${j.id}`, problems);
  }
}

if (passed === 0) failed++;
console.log(`smoke: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
