import { config, OWNERS, QUERY_LIMIT } from './config.mjs';
import { expectedFinalState, makeRecords, ownerName, w4Plan } from './data.mjs';
import { collectGarbage, median, percentile } from './stats.mjs';

const round = (ms) => Math.round(ms * 1000) / 1000;
const progress = (system, text) => process.stderr.write(`[bench] ${system.label}: ${text}\n`);

/** The ids W3 must return for each owner: newest `changedAt` first, at most QUERY_LIMIT. */
function expectedQueryIds(load) {
  const byOwner = new Map();
  for (const r of [...load].sort((a, b) => (a.changedAt < b.changedAt ? 1 : -1))) {
    const ids = byOwner.get(r.owner) ?? [];
    if (ids.length < QUERY_LIMIT) ids.push(r.id);
    byOwner.set(r.owner, ids);
  }
  return byOwner;
}

/**
 * Runs W1-W4 against one system, in this order on one store: W1 (each run on a fresh empty store; the
 * last run's store is kept), W3 over the loaded records, W2 (new records), W4 (updates of loaded records).
 * Every system ends with the same records, which the caller checks through `final`.
 */
export async function runWorkloads(system) {
  const { load, fresh } = makeRecords();
  const sizes = { ...config, ...(system.limits?.(config) ?? {}) };
  const plan = w4Plan(load, config.w4Writes);
  const result = { sizes };

  // W1: bulk load into an empty store.
  const w1 = [];
  let db;
  for (let run = 0; run < sizes.w1Runs && (run === 0 || w1.reduce((a, b) => a + b, 0) < sizes.w1BudgetMs); run++) {
    if (db) await system.close(db);
    collectGarbage();
    db = await system.open(run);
    const t0 = performance.now();
    await system.bulkLoad(db, load);
    w1.push(performance.now() - t0);
    progress(system, `W1 run ${run + 1}/${sizes.w1Runs}: ${w1.at(-1).toFixed(1)} ms`);
  }
  result.w1 = { runs: w1.length, median: round(median(w1)), max: round(Math.max(...w1)), samples: w1.map(round) };

  // W3: owner = X order by changedAt desc limit 100, over the loaded records.
  collectGarbage();
  const expected = expectedQueryIds(load);
  const w3 = [];
  let wrong = 0;
  for (let i = 0; i < sizes.w3Queries; i++) {
    const owner = ownerName(i % OWNERS);
    const t0 = performance.now();
    const rows = await system.queryOwner(db, owner);
    w3.push(performance.now() - t0);
    if (i < OWNERS && rows.map((r) => r.id).join() !== (expected.get(owner) ?? []).join()) wrong++;
  }
  result.w3 = {
    n: w3.length,
    p50: round(percentile(w3, 50)),
    p99: round(percentile(w3, 99)),
    // The first query per owner: what a system with a query cache (RxDB) costs before the cache helps.
    firstPassP50: round(percentile(w3.slice(0, OWNERS), 50)),
    correct: wrong === 0,
  };
  progress(system, `W3 p50 ${result.w3.p50} ms${wrong ? `, ${wrong} WRONG results` : ''}`);

  // W2: awaited single saves of new records.
  collectGarbage();
  const w2 = [];
  for (let i = 0; i < sizes.w2Saves; i++) {
    const t0 = performance.now();
    await system.save(db, fresh[i]);
    w2.push(performance.now() - t0);
  }
  // Slow peers save fewer timed records; the rest are written untimed so final states stay comparable.
  for (let i = sizes.w2Saves; i < fresh.length; i++) await system.save(db, fresh[i]);
  result.w2 = { n: w2.length, p50: round(percentile(w2, 50)), p99: round(percentile(w2, 99)) };
  progress(system, `W2 p50 ${result.w2.p50} ms`);

  // W4: live queries on priority = k, 5 per value; each write moves an unwatched record into value k.
  collectGarbage();
  result.w4 = system.watch ? await runLiveQueries(system, db, plan, sizes) : { skipped: system.noLiveQueries ?? 'no live queries' };
  if (!system.watch) {
    const handles = await system.prepareUpdates(db, plan.map((w) => w.id));
    for (let i = 0; i < plan.length; i++) await system.update(db, handles[i], plan[i].priority);
  }

  const final = await system.finalState(db);
  const want = expectedFinalState(load, fresh, plan);
  result.final = { ...final, equal: final.count === want.count && final.prioritySum === want.prioritySum, expected: want };
  progress(system, `final state ${JSON.stringify(final)}${result.final.equal ? '' : ` != expected ${JSON.stringify(want)}`}`);
  await system.close(db);
  return result;
}

async function runLiveQueries(system, db, plan, sizes) {
  const queries = sizes.w4LiveQueries;
  const values = new Set(plan.map((w) => w.priority)).size;
  let pending; // the write in flight: { id, priority, waiting: Set<query index>, resolve }
  let initial = 0;
  let initialDone;
  const allInitial = new Promise((resolve) => (initialDone = resolve));
  const seen = new Array(queries).fill(false);

  const t0 = performance.now();
  const readsBefore = system.storageReads?.(db);
  const stops = [];
  for (let q = 0; q < queries; q++) {
    const priority = q % values;
    stops.push(
      system.watch(db, priority, (items) => {
        if (!seen[q]) {
          seen[q] = true;
          if (++initial === queries) initialDone();
          return;
        }
        const w = pending;
        if (w && w.priority === priority && w.waiting.has(q) && items.some((it) => it.id === w.id && it.priority === priority)) {
          w.waiting.delete(q);
          if (w.waiting.size === 0) w.resolve(performance.now());
        }
      }),
    );
  }
  await allInitial;
  const setupMs = performance.now() - t0;
  const setupReads = readsBefore === undefined ? undefined : system.storageReads(db) - readsBefore;

  const handles = await system.prepareUpdates(db, plan.map((w) => w.id));
  const latencies = [];
  const timeoutMs = system.w4TimeoutMs ?? 15_000;
  for (let i = 0; i < plan.length; i++) {
    const { id, priority } = plan[i];
    if (i >= sizes.w4Writes) {
      await system.update(db, handles[i], priority); // untimed remainder for slow peers
      continue;
    }
    const waiting = new Set();
    for (let q = 0; q < queries; q++) if (q % values === priority) waiting.add(q);
    let resolve;
    const done = new Promise((r) => (resolve = r));
    pending = { id, priority, waiting, resolve };
    const start = performance.now();
    await system.update(db, handles[i], priority);
    let timer;
    const end = await Promise.race([done, new Promise((r) => (timer = setTimeout(() => r(undefined), timeoutMs)))]);
    clearTimeout(timer);
    if (end === undefined) throw new Error(`W4: write ${i} not reflected by ${waiting.size} live queries within ${timeoutMs} ms`);
    latencies.push(end - start);
  }
  pending = undefined;
  for (const stop of stops) stop();
  progress(system, `W4 p50 ${percentile(latencies, 50).toFixed(2)} ms`);
  return {
    liveQueries: queries,
    affectedPerWrite: queries / values,
    writes: latencies.length,
    setupMs: round(setupMs),
    ...(setupReads === undefined ? {} : { setupReads, distinctQueries: values }),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
  };
}
