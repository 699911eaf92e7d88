/**
 * Fan-out: N subscribers, one WebSocket connection each, one `onUpdateItem` subscription per connection
 * (graphql-transport-ws, every stored field selected, as the Offgrid client does). A writer sends
 * `updateItem` mutations one at a time; latency = from the mutation's HTTP response (and, second column,
 * from sending it) to the last of the N subscribers receiving the record. Subscribers are minimal
 * protocol clients on `ws` in this process (no graphql-ws client: they only note the arrival time, so the
 * measuring side costs as little as possible); the server runs in its own process.
 * Floor: a plain `ws` server (serve.mjs, kind ws-floor) that sends the record to every socket and answers.
 */
import WebSocket from 'ws';
import { makeRecords } from '../data.mjs';
import { percentile } from '../stats.mjs';
import { API_KEY, gql, ITEM_FIELDS, progress, round, startServer } from './harness.mjs';
import { serverSizes } from './net-config.mjs';

const SUBSCRIPTION = `subscription { onUpdateItem { ${ITEM_FIELDS} } }`;

export async function openRawSubscribers(graphqlUrl, n) {
  const wsUrl = graphqlUrl.replace(/^http/, 'ws');
  const subs = [];
  const BATCH = 100; // open in groups so the server's accept queue is not flooded
  for (let i = 0; i < n; i += BATCH) {
    const group = await Promise.all(
      Array.from({ length: Math.min(BATCH, n - i) }, () =>
        new Promise((resolve, reject) => {
          const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
          const sub = { socket, marker: undefined, received: undefined, onAll: undefined };
          socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': API_KEY } })));
          socket.on('message', (raw) => {
            if (sub.marker === undefined) {
              const m = JSON.parse(String(raw));
              if (m.type === 'connection_ack') {
                socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
                sub.marker = null;
                resolve(sub);
              } else if (m.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
              return;
            }
            const at = performance.now();
            if (sub.marker && raw.includes(sub.marker)) {
              sub.received = at;
              sub.onAll?.();
            }
          });
          socket.on('error', reject);
          socket.on('close', (code) => {
            if (sub.marker === undefined) reject(new Error(`subscriber closed before ack: ${code}`));
          });
        }),
      ),
    );
    subs.push(...group);
  }
  return subs;
}

/** Sends one mutation carrying `marker` and resolves with { sent, answered, last } times. */
async function timedMutation(graphqlUrl, subs, record, version, marker, floor) {
  let remaining = subs.length;
  let resolveAll;
  const all = new Promise((r) => (resolveAll = r));
  for (const s of subs) {
    s.marker = marker;
    s.received = undefined;
    s.onAll = () => {
      s.onAll = undefined;
      if (--remaining === 0) resolveAll();
    };
  }
  const input = { id: record.id, changedAt: marker, _version: version };
  const sent = performance.now();
  let data;
  if (floor) {
    const res = await fetch(graphqlUrl.replace(/\/graphql$/, '/publish'), {
      method: 'POST',
      body: JSON.stringify({ record: { ...record, changedAt: marker, _version: version + 1, _deleted: null, _lastChangedAt: Date.now() } }),
    });
    data = (await res.json()).data;
  } else {
    data = await gql(graphqlUrl, `mutation U($input: UpdateItemInput!) { updateItem(input: $input) { ${ITEM_FIELDS} } }`, { input });
  }
  const answered = performance.now();
  let timer;
  const ok = await Promise.race([all.then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), 10_000)))]);
  clearTimeout(timer);
  if (!ok) throw new Error(`fan-out: ${remaining} of ${subs.length} subscribers did not receive the update within 10 s`);
  let last = 0;
  for (const s of subs) last = Math.max(last, s.received);
  return { sent, answered, last, version: data.updateItem._version };
}

/** The largest subscriber count is measured in this many consecutive runs of `fanoutMutations` each. */
export const FANOUT_RUNS = 3;

async function fanoutOn(target, n, runs = 1) {
  const floor = target === 'ws-floor';
  const server = await startServer(floor ? { kind: 'ws-floor' } : { db: 'sqlite' });
  const subs = [];
  try {
    const record = makeRecords().load[0];
    await server.seed([record]);
    const t0 = performance.now();
    subs.push(...(await openRawSubscribers(server.graphql, n)));
    const connectMs = performance.now() - t0;
    let version = 1;
    // Warm-up: also proves every subscription is live (graphql-ws does not acknowledge a subscribe).
    for (let i = 0; i < 3; i++) version = (await timedMutation(server.graphql, subs, record, version, `2030-01-01T00:00:0${i}.000Z`, floor)).version;
    const fromResponse = [];
    const fromSend = [];
    const perRun = [];
    const label = floor ? `floor: plain ws broadcast (no GraphQL, no store)` : 'Offgrid server (SQLite), graphql-ws';
    for (let run = 0; run < runs; run++) {
      const runSend = [];
      for (let i = 0; i < serverSizes.fanoutMutations; i++) {
        const marker = new Date(Date.UTC(2031 + run, 0, 1) + i * 1000).toISOString();
        const t = await timedMutation(server.graphql, subs, record, version, marker, floor);
        version = t.version;
        fromResponse.push(t.last - t.answered);
        fromSend.push(t.last - t.sent);
        runSend.push(t.last - t.sent);
      }
      perRun.push({ sendP50: round(percentile(runSend, 50)), sendP99: round(percentile(runSend, 99)) });
      if (runs > 1) progress(label, `${n} subscribers, run ${run + 1} of ${runs}: send -> last p50 ${percentile(runSend, 50).toFixed(2)} ms, p99 ${percentile(runSend, 99).toFixed(2)} ms`);
    }
    progress(label, `${n} subscribers: response -> last p50 ${percentile(fromResponse, 50).toFixed(2)} ms, p99 ${percentile(fromResponse, 99).toFixed(2)} ms`);
    return {
      runs: perRun,
      target,
      label,
      subscribers: n,
      mutations: fromResponse.length,
      connectMs: round(connectMs),
      p50: round(percentile(fromResponse, 50)),
      p99: round(percentile(fromResponse, 99)),
      sendP50: round(percentile(fromSend, 50)),
      sendP99: round(percentile(fromSend, 99)),
    };
  } finally {
    for (const s of subs) s.socket.terminate();
    await server.close();
  }
}

export async function runFanout() {
  const rows = [];
  const largest = Math.max(...serverSizes.fanout);
  for (const n of serverSizes.fanout) {
    const runs = n === largest ? FANOUT_RUNS : 1;
    rows.push(await fanoutOn('offgrid', n, runs));
    rows.push(await fanoutOn('ws-floor', n, runs));
  }
  return rows;
}
