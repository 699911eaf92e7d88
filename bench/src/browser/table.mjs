import { fmt, markdown, ratio } from '../table.mjs';

const WORKLOADS = [
  { key: 'w1', title: 'W1 bulk load (total ms; median / slowest run)', p50: 'median', tail: 'max', n: (r) => `${r.runs} run${r.runs === 1 ? '' : 's'}` },
  { key: 'w2', title: 'W2 awaited single save (ms; p50 / p99)', p50: 'p50', tail: 'p99', n: (r) => `${r.n} saves` },
  { key: 'w3', title: 'W3 owner query, limit 100 (ms; p50 / p99)', p50: 'p50', tail: 'p99', n: (r) => `${r.n} queries` },
  { key: 'w4', title: 'W4 write -> 5 live queries (ms; p50 / p95)', p50: 'p50', tail: 'p95', n: (r) => `${r.writes} writes` },
];

const OFFGRID = 'offgrid-indexeddb';

/** Offgrid's browser systems; the targets are judged for each one that ran. */
const OFFGRID_SYSTEMS = ['offgrid-indexeddb', 'offgrid-opfs'];

/** The targets of the browser group, judged on this run's figures, for each of Offgrid's browser adapters. */
function targets(byId) {
  const dexie = byId.get('dexie')?.results;
  const amplify = byId.get('amplify')?.results;
  const out = [];
  const judge = (what, ok, detail) => out.push(`${what}: ${ok === undefined ? 'not judged (a system did not run)' : ok ? 'met' : 'MISSED'}${detail ? ` (${detail})` : ''}`);
  const w = (r, k, f) => r?.[k]?.[f];
  for (const id of OFFGRID_SYSTEMS) {
    const og = byId.get(id)?.results;
    if (id !== OFFGRID && !og) continue;
    const who = `Offgrid (${id})`;
    judge(`${who} W1 no slower than Dexie`, og && dexie ? w(og, 'w1', 'median') <= w(dexie, 'w1', 'median') : undefined,
      og && dexie ? `${fmt(w(og, 'w1', 'median'))} vs ${fmt(w(dexie, 'w1', 'median'))} ms, ${ratio(w(og, 'w1', 'median'), w(dexie, 'w1', 'median'))}` : '');
    judge(`${who} W3 p50 no slower than Dexie`, og && dexie ? w(og, 'w3', 'p50') <= w(dexie, 'w3', 'p50') : undefined,
      og && dexie ? `${fmt(w(og, 'w3', 'p50'))} vs ${fmt(w(dexie, 'w3', 'p50'))} ms; first pass (uncached) ${fmt(w(og, 'w3', 'firstPassP50'))} vs ${fmt(w(dexie, 'w3', 'firstPassP50'))} ms` : '');
    judge(`${who} W3 at least 10x faster than Amplify`, og && amplify ? w(amplify, 'w3', 'p50') >= 10 * w(og, 'w3', 'p50') : undefined,
      og && amplify ? `${fmt(w(og, 'w3', 'p50'))} vs ${fmt(w(amplify, 'w3', 'p50'))} ms; first pass ${fmt(w(og, 'w3', 'firstPassP50'))} vs ${fmt(w(amplify, 'w3', 'firstPassP50'))} ms` : '');
    judge(`${who} W4 p95 under 5 ms`, og ? w(og, 'w4', 'p95') < 5 : undefined, og ? `${fmt(w(og, 'w4', 'p95'))} ms` : '');
  }
  return out;
}

/** The browser group's table (markdown) and notes: every system, then the 100,000-record runs. */
export function renderBrowserTable(report) {
  const byId = new Map(report.systems.map((s) => [s.id, s]));
  const rows = [['Workload', 'System', 'p50', 'tail', 'vs Dexie', 'vs Offgrid', 'n']];
  for (const w of WORKLOADS) {
    let first = true;
    for (const s of report.systems) {
      if (!s.results) continue;
      const r = s.results[w.key];
      const dexie = byId.get('dexie')?.results?.[w.key]?.[w.p50];
      const og = byId.get(OFFGRID)?.results?.[w.key]?.[w.p50];
      const cells = r.skipped
        ? [`n/a: ${r.skipped}`, '', '', '', '']
        : [fmt(r[w.p50]), fmt(r[w.tail]), s.id === 'dexie' ? '1 (peer)' : ratio(r[w.p50], dexie), s.id === OFFGRID ? '1' : ratio(r[w.p50], og), w.n(r)];
      rows.push([first ? w.title : '', s.label, ...cells]);
      first = false;
    }
  }
  for (const sc of report.scale ?? []) {
    if (!sc.results) continue;
    const label = `${byId.get(sc.id)?.label ?? sc.id}, ${sc.records.toLocaleString('en-US')} records`;
    const dexie = report.scale.find((x) => x.id === 'dexie')?.results;
    for (const w of WORKLOADS.filter((x) => x.key === 'w3' || x.key === 'w4')) {
      const r = sc.results[w.key];
      rows.push([`${w.title.split(' (')[0]} at ${sc.records.toLocaleString('en-US')}`, label, fmt(r[w.p50]), fmt(r[w.tail]), sc.id === 'dexie' ? '1 (peer)' : ratio(r[w.p50], dexie?.[w.key]?.[w.p50]), '', w.n(r)]);
    }
  }
  for (const s of [...report.systems, ...(report.scale ?? [])]) {
    if (s.error) rows.push(['(did not finish)', s.id, 'FAILED, see notes', '', '', '', '']);
  }
  const m = report.meta;
  const notes = [
    `Chromium ${m.chromium} (headless, /usr/bin/chromium via playwright-core), Node ${m.node}, ${m.cpus} CPUs (${m.cpuModel}); ${m.date}. 1-min load average ${m.load.before} at start, ${m.load.after} at end.`,
    'Each system runs in a fresh browser context (its own IndexedDB) and page; records, workloads and checks are the Node group\'s (src/workloads.mjs, src/data.mjs), bundled with esbuild. Ratios use p50 (W1: median) of this run.',
    report.systems.some((s) => s.crossOriginIsolated)
      ? 'Pages are cross-origin isolated, so performance.now() has Chromium\'s fine resolution.'
      : 'Pages were not cross-origin isolated, so Chromium rounds performance.now() to 0.1 ms: figures under 0.1 ms read as 0 or 0.1 (a cached W3 answer is below that).',
    ...targets(byId).map((t) => `Target: ${t}.`),
  ];
  for (const s of report.systems) {
    for (const n of s.notes ?? []) notes.push(`${s.label ?? s.id}: ${n}.`);
    if (s.results && !s.results.w3.correct) notes.push(`${s.label}: W3 returned WRONG results.`);
    if (s.results && !s.results.final.equal) notes.push(`${s.label}: final state ${JSON.stringify(s.results.final)} differs from the expected one.`);
    if (s.results?.w3) notes.push(`${s.label}: W3 p50 over the first 50 queries (each asked once, so never cached): ${fmt(s.results.w3.firstPassP50)} ms.`);
    if (s.error) notes.push(`${s.id} FAILED: ${s.error}`);
    if (s.version) notes.push(`${s.label ?? s.id}: ${s.version}.`);
  }
  for (const sc of report.scale ?? []) {
    if (sc.error) notes.push(`${sc.id} at ${sc.records} records FAILED: ${sc.error}`);
    else if (sc.results) notes.push(`${sc.id} at ${sc.records.toLocaleString('en-US')} records: W1 (one run) ${fmt(sc.results.w1.median)} ms; W3 first pass p50 ${fmt(sc.results.w3.firstPassP50)} ms; W3 ${sc.results.w3.correct ? 'correct' : 'WRONG'}.`);
  }
  return `${markdown(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
}
