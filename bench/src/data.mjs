import { config, OWNERS, WATCHED_PRIORITIES } from './config.mjs';

/** mulberry32: a small seeded PRNG, so every system (and every process) gets the same records. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'offline first sync store record query index owner update batch queue network replica conflict merge ' +
  'version delta cursor page schema model field value change local remote server client write read'
).split(' ');

function words(rand, minChars) {
  const out = [];
  let length = -1;
  while (length < minChars) {
    const w = WORDS[Math.floor(rand() * WORDS.length)];
    out.push(w);
    length += w.length + 1;
  }
  return out.join(' ');
}

function uuid(rand) {
  const hex = () => Math.floor(rand() * 16).toString(16);
  const part = (n) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

export const ownerName = (i) => `owner-${String(i % OWNERS).padStart(2, '0')}`;

/**
 * Every record the benchmark writes: `config.records` loaded by W1, then `config.w2Saves` new ones for W2.
 * About 470 bytes each as JSON. `changedAt` values are distinct, so "order by changedAt desc limit 100"
 * has one right answer on every system.
 */
export function makeRecords() {
  const rand = prng(20260801);
  const total = config.records + config.w2Saves;
  const base = Date.UTC(2026, 0, 1);
  const records = [];
  for (let i = 0; i < total; i++) {
    records.push({
      id: uuid(rand),
      title: words(rand, 36),
      done: rand() < 0.3,
      priority: Math.floor(rand() * WATCHED_PRIORITIES * 2),
      owner: ownerName(Math.floor(rand() * OWNERS)),
      changedAt: new Date(base + ((i * 7919) % total) * 1000).toISOString(),
      body: words(rand, 278),
    });
  }
  return { load: records.slice(0, config.records), fresh: records.slice(config.records) };
}

/**
 * W4's writes: records that no live query watches yet (priority >= WATCHED), each moved to priority
 * `i % WATCHED`, so every write enters exactly the 5 live queries watching that value.
 */
export function w4Plan(load, writes) {
  const targets = load.filter((r) => r.priority >= WATCHED_PRIORITIES).slice(0, writes);
  if (targets.length < writes) throw new Error(`only ${targets.length} unwatched records for ${writes} W4 writes`);
  return targets.map((r, i) => ({ id: r.id, priority: i % WATCHED_PRIORITIES }));
}

/** What every system's final state must be: record count and the sum of priorities. */
export function expectedFinalState(load, fresh, plan) {
  const priority = new Map([...load, ...fresh].map((r) => [r.id, r.priority]));
  for (const w of plan) priority.set(w.id, w.priority);
  let prioritySum = 0;
  for (const p of priority.values()) prioritySum += p;
  return { count: priority.size, prioritySum };
}
