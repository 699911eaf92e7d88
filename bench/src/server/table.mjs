import { fmt, markdown, ratio } from '../table.mjs';
import { serverSizes } from './net-config.mjs';

const HEADER = ['Workload', 'System', 'throughput', 'p50', 'p99', 'vs floor', 'target', 'n'];
const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');

/** Tables of the server group: push throughput per database beside its raw floors, then fan-out. */
export function renderServerTable(report) {
  const jobs = new Map(report.jobs.map((j) => [j.id, j]));
  const rows = [HEADER];
  const notes = [];
  const s = serverSizes;
  for (const db of ['sqlite', 'postgres']) {
    const name = db === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const floor = jobs.get(`floor-${db}`);
    const push = jobs.get(`push-${db}`);
    const push2 = db === 'postgres' ? jobs.get('push-postgres-2') : undefined;
    // The issue's targets: SQLite within 10x of its batched floor, PostgreSQL within 3x.
    const within = db === 'sqlite' ? 10 : 3;
    const floorBatched = floor?.rows?.find((r) => r.kind === 'update-batched');
    let first = true;
    const title = `Push, ${name}: ${s.clients} clients x ${s.updatesPerClient} versioned updates (updates/s; ms per request or transaction)`;
    const add = (system, cells) => {
      rows.push([first ? title : '', system, ...cells]);
      first = false;
    };
    for (const r of push?.rows ?? []) {
      const batched = r.kind === 'batched';
      const met = floorBatched && r.rowsPerSecond * within >= floorBatched.rowsPerSecond;
      add(r.label, [
        `${int(r.rowsPerSecond)}/s`,
        fmt(r.p50),
        fmt(r.p99),
        floorBatched ? ratio(floorBatched.rowsPerSecond, r.rowsPerSecond) : '-',
        batched ? (floorBatched ? (met ? `met (within ${within}x)` : `MISSED (within ${within}x of batched floor)`) : '-') : '(contrast)',
        `${int(r.rows)} updates, ${int(r.requests)} requests${r.errors ? `, ${r.errors} ERRORS` : ''}`,
      ]);
    }
    const one = push?.rows?.find((r) => r.kind === 'batched');
    for (const r of push2?.rows ?? []) {
      const more = one && r.rowsPerSecond > one.rowsPerSecond;
      add(r.label, [
        `${int(r.rowsPerSecond)}/s`,
        fmt(r.p50),
        fmt(r.p99),
        floorBatched ? ratio(floorBatched.rowsPerSecond, r.rowsPerSecond) : '-',
        one ? `${more ? 'met' : 'MISSED'} (${(r.rowsPerSecond / one.rowsPerSecond).toFixed(2)}x of 1 process)` : '-',
        `${int(r.rows)} updates, ${int(r.requests)} requests${r.errors ? `, ${r.errors} ERRORS` : ''}`,
      ]);
    }
    for (const r of floor?.rows ?? []) add(r.label, [`${int(r.rowsPerSecond)}/s`, fmt(r.p50), fmt(r.p99), r.kind === 'update-batched' ? '1 (floor)' : ratio(floorBatched?.rowsPerSecond, r.rowsPerSecond), '', `${int(r.rows)} rows, ${int(r.requests)} commits`]);
    for (const j of [floor, push, push2]) {
      if (!j) continue;
      if (j.skipped) add(`(${j.id} did not run)`, ['skipped, see notes', '', '', '', '', '']), notes.push(`${j.id} skipped: ${j.skipped}`);
      if (j.error) add(`(${j.id} did not run)`, ['FAILED, see notes', '', '', '', '', '']), notes.push(`${j.id} FAILED: ${String(j.error).split('\n').slice(0, 3).join(' ')}`);
    }
    if (push2?.versionsOk === false) notes.push(`${name}, 2 processes: final _version of some records is not 1 + the updates they got: a LOST OR DOUBLED WRITE.`);
    if (push?.versionsOk === false) notes.push(`${name}: final _version of some records is not 1 + the updates they got: a LOST OR DOUBLED WRITE.`);
  }

  const fan = jobs.get('fanout');
  let first = true;
  for (const n of s.fanout) {
    const off = fan?.rows?.find((r) => r.subscribers === n && r.target === 'offgrid');
    const flo = fan?.rows?.find((r) => r.subscribers === n && r.target === 'ws-floor');
    const title = `Fan-out, ${n.toLocaleString('en-US')} subscribers (ms: mutation's HTTP response -> last subscriber; p50 / p99)`;
    for (const r of [off, flo]) {
      if (!r) continue;
      // Judged on send -> last (an upper bound: it includes the mutation's own request), because response ->
      // last hides the fan-out: the server sends to every subscriber before it writes the response.
      const runs = r.runs ?? [{ sendP50: r.sendP50, sendP99: r.sendP99 }];
      const runP99s = runs.map((x) => fmt(x.sendP99)).join(', ');
      const target =
        r.target === 'offgrid' && n === 1000
          ? runs.every((x) => x.sendP99 < 50)
            ? `met (send -> last p99 < 50 ms in ${runs.length} consecutive runs: ${runP99s})`
            : `MISSED (send -> last p99 per run: ${runP99s} ms, target < 50 in each)`
          : '';
      const figure = runs.length > 1 ? `send -> last p99 per run: ${runP99s} (p50 / p99 of all: ${fmt(r.sendP50)} / ${fmt(r.sendP99)})` : `send -> last: ${fmt(r.sendP50)} / ${fmt(r.sendP99)}`;
      rows.push([first || r === off ? title : '', r.label, figure, fmt(r.p50), fmt(r.p99), r === flo ? '1 (floor, send -> last)' : ratio(r.sendP50, flo?.sendP50), target, `${r.mutations} mutations${runs.length > 1 ? ` (${runs.length} runs)` : ''}`]);
      first = false;
    }
  }
  if (fan?.error) notes.push(`fanout FAILED: ${String(fan.error).split('\n').slice(0, 3).join(' ')}`), rows.push(['Fan-out', '(did not run)', 'FAILED, see notes', '', '', '', '', '']);

  const { meta } = report;
  notes.unshift(
    `Node ${meta.node}, ${meta.cpus} CPUs (${meta.cpuModel}); ${meta.date}${meta.quick ? '; BENCH_QUICK=1 smoke sizes' : ''}. Each server runs in its own process; the clients (load generator) run in the bench process.`,
    `Push: each client owns ${s.recordsPerClient} records and updates them with the _version the previous answer gave; batched = pushMutations of ${s.batch} updates (each its own mutation id); unbatched = one updateItem per request, ${s.unbatchedPerClient} per client (${(s.clients * s.unbatchedPerClient).toLocaleString('en-US')} in all). p50/p99 are per request (server) or per commit (floors). "vs floor" = the batched raw versioned-UPDATE rate of the same database / this rate (above 1x = slower). The bench server raises only limits.maxRequestsPerSecond (all clients are 127.0.0.1); the PostgreSQL store uses its default pool of 10 connections, the raw pg floor ${s.clients} (one per client). On PostgreSQL each server process runs as \`offgrid serve --database\` does, with the LISTEN/NOTIFY change bus; "2 processes" = two server processes on one schema, client c sending to process c % 2 (batched pushes only), judged against the one-process row of the same run. Both share the machine's cores with PostgreSQL and the load generator.`,
    'Floors: raw better-sqlite3 in the bench process (WAL, synchronous=NORMAL, as the server store), one statement or one transaction at a time; raw pg with one connection per client, single-row autocommit statements or BEGIN + 50 statements + COMMIT. Rows: the Item columns plus version; the versioned UPDATE checks the row count, as the server\'s conditional write does.',
    'Fan-out: one WebSocket connection per subscriber, one onUpdateItem subscription each (every Item field selected), minimal graphql-transport-ws clients on `ws` in the bench process (they only note arrival times). Offgrid server on SQLite. The subscribers get the record before the writer gets its HTTP response (the server publishes on commit, then answers), so "mutation response -> last subscriber" is negative when everyone is already served and hides the fan-out; the target is judged on "send -> last", which includes the mutation\'s own round trip (an upper bound on commit -> last). Floor: a plain `ws` server that sends the record to every socket and then answers the HTTP request (no GraphQL execution, auth or store). "vs floor" compares send -> last p50.',
  );
  if (meta.load && Math.max(meta.load.before, meta.load.after) > meta.cpus) {
    notes.push(`LOADED MACHINE: 1-min load average ${meta.load.before} at start, ${meta.load.after} at end on ${meta.cpus} CPUs; numbers are inflated, rerun when idle.`);
  }
  return `${markdown(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
}
