import { SYSTEMS } from './systems/index.mjs';

const REFERENCE = 'offgrid-sqlite';

const WORKLOADS = [
  { key: 'w1', title: 'W1 bulk load (total ms; median / slowest run)', p50: 'median', tail: 'max', n: (r) => `${r.runs} run${r.runs === 1 ? '' : 's'}` },
  { key: 'w2', title: 'W2 awaited single save (ms; p50 / p99)', p50: 'p50', tail: 'p99', n: (r) => `${r.n} saves` },
  { key: 'w3', title: 'W3 owner query, limit 100 (ms; p50 / p99)', p50: 'p50', tail: 'p99', n: (r) => `${r.n} queries` },
  { key: 'w4', title: 'W4 write -> 5 live queries (ms; p50 / p95)', p50: 'p50', tail: 'p95', n: (r) => `${r.writes} writes` },
];

export function fmt(ms) {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

export function ratio(value, ref) {
  if (!Number.isFinite(value) || !Number.isFinite(ref) || ref <= 0) return '-';
  const r = value / ref;
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r >= 1 ? r.toFixed(2) : Number(r.toPrecision(2))}x`;
}

export function markdown(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => `| ${r.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** The one results table (markdown, so the README can hold it as printed), with its notes. */
export function renderTable(report) {
  const byId = new Map(report.systems.map((s) => [s.id, s]));
  const ref = byId.get(REFERENCE);
  const rows = [['Workload', 'System', 'p50', 'tail', 'vs Offgrid-SQLite', 'vs Offgrid same storage', 'n']];
  for (const w of WORKLOADS) {
    let first = true;
    for (const s of report.systems) {
      if (!s.results) continue;
      const r = s.results[w.key];
      const sameRef = byId.get(SYSTEMS.find((x) => x.id === s.id)?.ref)?.results?.[w.key];
      const cells = r.skipped
        ? [`n/a: ${r.skipped}`, '', '', '', '']
        : [
            fmt(r[w.p50]),
            fmt(r[w.tail]),
            s.id === REFERENCE ? '1 (reference)' : ratio(r[w.p50], ref?.results?.[w.key]?.[w.p50]),
            sameRef ? ratio(r[w.p50], sameRef[w.p50]) : '',
            w.n(r),
          ];
      rows.push([first ? w.title : '', s.label, ...cells]);
      first = false;
    }
  }
  for (const s of report.systems) {
    if (s.results) continue;
    rows.push(['(did not run)', s.label, s.skipped ? 'skipped, see notes' : 'FAILED, see notes', '', '', '', '']);
  }

  const notes = [];
  const { meta } = report;
  notes.push(
    `${meta.records.toLocaleString('en-US')} records of ~470 B, 50 owners, index (owner, changedAt); Node ${meta.node}, ${meta.cpus} CPUs (${meta.cpuModel}); ${meta.date}${meta.quick ? '; BENCH_QUICK=1 smoke sizes' : ''}.`,
  );
  notes.push(
    'Ratios compare p50 (W1: median) with Offgrid-SQLite and with Offgrid on the same storage (IndexedDB peers vs Offgrid+IndexedDB, RxDB memory vs Offgrid+Memory, raw SQLite vs Offgrid+SQLite); above 1x = slower.',
  );
  if (meta.load && Math.max(meta.load.before, meta.load.after) > meta.cpus) {
    notes.push(`LOADED MACHINE: 1-min load average ${meta.load.before} at start, ${meta.load.after} at end on ${meta.cpus} CPUs; numbers are inflated, rerun when idle.`);
  }
  if (!ref?.results) notes.push('Offgrid-SQLite did not run, so the "vs Offgrid-SQLite" column is empty.');
  notes.push(
    'One process per system; order per store: W1 (each run on a fresh empty store), W3 over the loaded records, W2 new records, W4 updates. W4: 100 live queries `priority = k` (k 0..19, 5 each); each write moves an unwatched record to k; latency = write call to the last of the 5 affected callbacks showing it.',
  );
  for (const s of report.systems) {
    const sizes = s.results?.sizes;
    if (s.results && s.results.w1.runs < meta.sizes.w1Runs) {
      notes.push(`${s.label}: ${s.results.w1.runs} W1 run(s), not ${meta.sizes.w1Runs}: W1 stops once its runs took ${meta.sizes.w1BudgetMs / 1000} s.`);
    }
    if (sizes && sizes.w4Writes !== meta.sizes.w4Writes) {
      notes.push(`${s.label}: ${sizes.w4Writes} timed W4 writes, not ${meta.sizes.w4Writes} (the rest are written untimed), to keep the bench short.`);
    }
    if (s.skipped) notes.push(`${s.label} did not run: ${s.skipped}.`);
    if (s.error) notes.push(`${s.label} FAILED: ${String(s.error).split('\n')[0]}`);
    for (const n of s.notes ?? []) notes.push(`${s.label}: ${n}.`);
    if (s.results?.w4?.setupReads !== undefined) {
      notes.push(`${s.label}: W4 started its ${s.results.w4.liveQueries} live queries (${s.results.w4.distinctQueries} distinct) with ${s.results.w4.setupReads} storage reads.`);
    }
    if (s.results && !s.results.w3.correct) notes.push(`${s.label}: W3 returned WRONG results.`);
    if ((s.id === 'rxdb-memory' || s.id.startsWith('offgrid-')) && s.results) {
      notes.push(`${s.label}: W3 p50 over the first 50 queries (each asked for the first time, so uncached): ${fmt(s.results.w3.firstPassP50)} ms.`);
    }
  }
  const ran = report.systems.filter((s) => s.results);
  const states = new Set(ran.map((s) => `${s.results.final.count}/${s.results.final.prioritySum}`));
  const allEqual = ran.every((s) => s.results.final.equal) && states.size === 1;
  notes.push(
    allEqual
      ? `Final states equal: all ${ran.length} systems that ran end with ${ran[0]?.results.final.count.toLocaleString('en-US')} records, priority sum ${ran[0]?.results.final.prioritySum}; W3 answers identical to the expected ids.`
      : `FINAL STATES DIFFER: ${ran.map((s) => `${s.label} ${s.results.final.count}/${s.results.final.prioritySum}`).join('; ')}`,
  );
  const versions = [...new Set(report.systems.filter((s) => s.version).map((s) => s.version))];
  if (meta.fakeIndexedDB) versions.push(`fake-indexeddb ${meta.fakeIndexedDB}`);
  notes.push(`Versions: ${versions.join('; ')}.`);
  return `${markdown(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
}
