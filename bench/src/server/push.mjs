/**
 * Server push throughput: `clients` concurrent clients, each updating its own `recordsPerClient` records
 * `updatesPerClient` times with versioned updates (each carries the `_version` the previous answer gave).
 * Batched: `pushMutations` of `batch` updates per request. Unbatched: one `updateItem` per request.
 * Floors, in the same run, on the same kind of rows (the Item columns plus a version): raw better-sqlite3
 * (in this process) and raw `pg` (a pool of `clients` connections, one worker per client), single-row and
 * batched (`batch` statements in one transaction) INSERTs and versioned UPDATEs.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRecords } from '../data.mjs';
import { percentile } from '../stats.mjs';
import { concurrently, gql, progress, PUSH, round, startServer } from './harness.mjs';
import { PG_URL, serverSizes } from './net-config.mjs';

const sizes = serverSizes;

function summary(label, latencies, rows, ms, extra = {}) {
  return {
    label,
    rows,
    requests: latencies.length,
    seconds: round(ms / 1000),
    rowsPerSecond: Math.round((rows / ms) * 1000),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    ...extra,
  };
}

/** The records each client owns: `recordsPerClient` consecutive ones of the seeded set. */
function ownedRecords() {
  const { load } = makeRecords();
  const n = sizes.clients * sizes.recordsPerClient;
  if (load.length < n) throw new Error(`need ${n} records, have ${load.length}`);
  const seed = load.slice(0, n);
  return { seed, owned: (c) => seed.slice(c * sizes.recordsPerClient, (c + 1) * sizes.recordsPerClient) };
}

const stamp = (c, i) => new Date(Date.UTC(2027, 0, 1) + c * 1_000_000 + i).toISOString();

/**
 * Offgrid server (in its own process) on `db`: batched pushes, then unbatched `updateItem`s.
 * `processes: 2` (PostgreSQL): two server processes on one schema, client c talking to process c % 2;
 * batched pushes only.
 */
export async function offgridPush(db, { processes = 1 } = {}) {
  const pgSchema = processes > 1 ? `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}` : undefined;
  const servers = [];
  try {
    for (let p = 0; p < processes; p++) servers.push(await startServer({ db, ...(pgSchema ? { pgSchema, keepSchema: true } : {}) }));
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
  const server = servers[0];
  const serverOf = (c) => servers[c % servers.length];
  try {
    const { seed, owned } = ownedRecords();
    await server.seed(seed);
    const label = `Offgrid server (${db === 'postgres' ? 'PostgreSQL' : 'SQLite'}${processes > 1 ? `, ${processes} processes` : ''})`;
    const versions = new Map(seed.map((r) => [r.id, 1]));
    let errors = 0;

    // Batched: each request updates `batch` of the client's records once, chaining each record's _version.
    const batched = [];
    const t0 = performance.now();
    await concurrently(sizes.clients, async (c) => {
      const mine = owned(c);
      for (let done = 0, b = 0; done < sizes.updatesPerClient; b++) {
        const slice = [];
        for (let k = 0; k < sizes.batch && done < sizes.updatesPerClient; k++, done++) slice.push(mine[(b * sizes.batch + k) % mine.length]);
        const m = slice.map((r, k) => ({
          mutationId: randomUUID(),
          model: 'Item',
          operation: 'UPDATE',
          input: JSON.stringify({ id: r.id, priority: (b + k) % 40, changedAt: stamp(c, done - slice.length + k), _version: versions.get(r.id) }),
        }));
        const s = performance.now();
        const data = await gql(serverOf(c).graphql, PUSH, { m });
        batched.push(performance.now() - s);
        for (let k = 0; k < slice.length; k++) {
          const result = data.pushMutations[k];
          if (result.error || !result.record) errors++;
          else versions.set(slice[k].id, JSON.parse(result.record)._version);
        }
      }
    });
    const batchedMs = performance.now() - t0;
    const total = sizes.clients * sizes.updatesPerClient;
    progress(label, `batched push: ${Math.round((total / batchedMs) * 1000)} updates/s${errors ? `, ${errors} ERRORS` : ''}`);
    const batchedRow = summary(`${label}: pushMutations, ${sizes.batch} per request`, batched, total, batchedMs, { errors, kind: processes > 1 ? `batched-${processes}` : 'batched' });
    if (processes > 1) {
      const expected = 1 + sizes.updatesPerClient / sizes.recordsPerClient;
      const check = await gql(servers[1].graphql, `query G($id: ID!) { getItem(id: $id) { _version } }`, { id: seed[0].id });
      const versionsOk = check.getItem._version === expected && [...versions.values()].every((v) => v === expected);
      return { db, processes, rows: [batchedRow], versionsOk };
    }

    // Unbatched: one updateItem per request, sequential per client.
    const single = [];
    let singleErrors = 0;
    const mutation = 'mutation U($input: UpdateItemInput!) { updateItem(input: $input) { id _version } }';
    const t1 = performance.now();
    await concurrently(sizes.clients, async (c) => {
      const mine = owned(c);
      for (let i = 0; i < sizes.unbatchedPerClient; i++) {
        const r = mine[i % mine.length];
        const s = performance.now();
        try {
          const data = await gql(serverOf(c).graphql, mutation, { input: { id: r.id, priority: i % 40, changedAt: stamp(c + 100, i), _version: versions.get(r.id) } });
          versions.set(r.id, data.updateItem._version);
        } catch {
          singleErrors++;
        }
        single.push(performance.now() - s);
      }
    });
    const singleMs = performance.now() - t1;
    const singleTotal = sizes.clients * sizes.unbatchedPerClient;
    progress(label, `unbatched updateItem: ${Math.round((singleTotal / singleMs) * 1000)} updates/s${singleErrors ? `, ${singleErrors} ERRORS` : ''}`);

    // Every record's final _version is 1 + the updates it got (no lost or doubled write).
    const expected = 1 + (sizes.updatesPerClient + sizes.unbatchedPerClient) / sizes.recordsPerClient;
    const check = await gql(server.graphql, `query G($id: ID!) { getItem(id: $id) { _version } }`, { id: seed[0].id });
    const versionsOk = check.getItem._version === expected && [...versions.values()].every((v) => v === expected);
    return {
      db,
      rows: [
        batchedRow,
        summary(`${label}: updateItem, 1 per request`, single, singleTotal, singleMs, { errors: singleErrors, kind: 'single' }),
      ],
      versionsOk,
    };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    if (pgSchema) await dropSchema(pgSchema);
  }
}

async function dropSchema(schema) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

const COLUMNS = 'id, title, done, priority, owner, changed_at, body, version';
const rowValues = (r, id) => [id ?? r.id, r.title, r.done, r.priority, r.owner, r.changedAt, r.body, 1];

/** Raw better-sqlite3 (WAL, synchronous=NORMAL, the server store's pragmas), in this process, one op at a time. */
export async function sqliteFloor() {
  const { default: Database } = await import('better-sqlite3');
  const file = join(tmpdir(), `raw-server-bench-${randomUUID()}.sqlite`);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE items (id TEXT PRIMARY KEY, title TEXT, done INTEGER, priority INTEGER, owner TEXT, changed_at TEXT, body TEXT, version INTEGER NOT NULL)`);
    const insert = db.prepare(`INSERT INTO items (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const update = db.prepare('UPDATE items SET priority = ?, changed_at = ?, version = version + 1 WHERE id = ? AND version = ?');
    const { seed, owned } = ownedRecords();
    const total = sizes.clients * sizes.updatesPerClient;
    const insertRow = (r, id) => insert.run(...rowValues(r, id).map((v) => (typeof v === 'boolean' ? Number(v) : v)));
    const insertMany = db.transaction((rows) => rows.forEach(([r, id]) => insertRow(r, id)));
    const rows = [];

    // INSERT: `total` new rows (copies of the clients' records under new ids).
    const plan = [];
    for (let c = 0; c < sizes.clients; c++) for (let i = 0; i < sizes.updatesPerClient; i++) plan.push([owned(c)[i % sizes.recordsPerClient], `ins-${c}-${i}`]);
    for (const [kind, per] of [['single', 1], ['batched', sizes.batch]]) {
      const lat = [];
      const t0 = performance.now();
      for (let i = 0; i < plan.length; i += per) {
        const s = performance.now();
        if (per === 1) insertRow(plan[i][0], `${plan[i][1]}-s`);
        else insertMany(plan.slice(i, i + per).map(([r, id]) => [r, `${id}-b`]));
        lat.push(performance.now() - s);
      }
      rows.push(summary(`raw better-sqlite3: INSERT, ${per === 1 ? '1 row per transaction' : `${per} rows per transaction`}`, lat, plan.length, performance.now() - t0, { kind: `insert-${kind}` }));
    }

    // Versioned UPDATE of the clients' own records, checking the row count as the server's conditional write does.
    insertMany(seed.map((r) => [r, r.id]));
    const version = new Map(seed.map((r) => [r.id, 1]));
    const updateOne = (r, priority, changedAt) => {
      const v = version.get(r.id);
      if (update.run(priority, changedAt, r.id, v).changes !== 1) throw new Error(`floor: ${r.id} not at version ${v}`);
      version.set(r.id, v + 1);
    };
    const updateMany = db.transaction((items) => items.forEach(([r, p, at]) => updateOne(r, p, at)));
    const ups = [];
    for (let c = 0; c < sizes.clients; c++) for (let i = 0; i < sizes.updatesPerClient; i++) ups.push([owned(c)[i % sizes.recordsPerClient], i % 40, stamp(c, i)]);
    for (const per of [1, sizes.batch]) {
      const lat = [];
      const t0 = performance.now();
      for (let i = 0; i < ups.length; i += per) {
        const s = performance.now();
        if (per === 1) db.transaction(() => updateOne(...ups[i]))();
        else updateMany(ups.slice(i, i + per));
        lat.push(performance.now() - s);
      }
      rows.push(summary(`raw better-sqlite3: versioned UPDATE, ${per === 1 ? '1 row per transaction' : `${per} rows per transaction`}`, lat, ups.length, performance.now() - t0, { kind: per === 1 ? 'update-single' : 'update-batched' }));
    }
    progress('raw better-sqlite3', rows.map((r) => `${r.label.split(': ')[1]} ${r.rowsPerSecond}/s`).join('; '));
    return { db: 'sqlite', rows };
  } finally {
    db.close();
    ['', '-wal', '-shm'].forEach((s) => rmSync(file + s, { force: true }));
  }
}

/** Raw `pg`: a pool of `clients` connections, `clients` concurrent workers each on its own rows, in a schema of its own. */
export async function pgFloor() {
  const { default: pg } = await import('pg');
  const schema = `bench_floor_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const pool = new pg.Pool({ connectionString: PG_URL, max: sizes.clients });
  const t = `"${schema}".items`;
  try {
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await pool.query(`CREATE TABLE ${t} (id TEXT PRIMARY KEY, title TEXT, done BOOLEAN, priority INTEGER, owner TEXT, changed_at TEXT, body TEXT, version INTEGER NOT NULL)`);
    const { seed, owned } = ownedRecords();
    const insertSql = { name: `ins-${schema}`, text: `INSERT INTO ${t} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)` };
    const updateSql = { name: `upd-${schema}`, text: `UPDATE ${t} SET priority = $1, changed_at = $2, version = version + 1 WHERE id = $3 AND version = $4` };
    const rows = [];
    const total = sizes.clients * sizes.updatesPerClient;

    /** Each worker holds one connection and runs `ops` in groups of `per` (one transaction per group when per > 1). */
    async function run(per, opsFor, exec) {
      const lat = [];
      const t0 = performance.now();
      await concurrently(sizes.clients, async (c) => {
        const client = await pool.connect();
        try {
          const ops = opsFor(c);
          for (let i = 0; i < ops.length; i += per) {
            const s = performance.now();
            if (per === 1) await exec(client, ops[i]);
            else {
              await client.query('BEGIN');
              for (const op of ops.slice(i, i + per)) await exec(client, op);
              await client.query('COMMIT');
            }
            lat.push(performance.now() - s);
          }
        } finally {
          client.release();
        }
      });
      return [lat, performance.now() - t0];
    }

    for (const per of [1, sizes.batch]) {
      const [lat, ms] = await run(
        per,
        (c) => Array.from({ length: sizes.updatesPerClient }, (_, i) => [owned(c)[i % sizes.recordsPerClient], `ins-${c}-${i}-${per}`]),
        (client, [r, id]) => client.query({ ...insertSql, values: rowValues(r, id) }),
      );
      rows.push(summary(`raw pg: INSERT, ${per === 1 ? '1 row per statement (autocommit)' : `${per} rows per transaction`}`, lat, total, ms, { kind: per === 1 ? 'insert-single' : 'insert-batched' }));
    }
    for (const r of seed) await pool.query({ ...insertSql, values: rowValues(r) });
    const version = new Map(seed.map((r) => [r.id, 1]));
    for (const per of [1, sizes.batch]) {
      const [lat, ms] = await run(
        per,
        (c) => Array.from({ length: sizes.updatesPerClient }, (_, i) => [owned(c)[i % sizes.recordsPerClient], i % 40, stamp(c, i)]),
        async (client, [r, priority, at]) => {
          const v = version.get(r.id);
          const res = await client.query({ ...updateSql, values: [priority, at, r.id, v] });
          if (res.rowCount !== 1) throw new Error(`floor: ${r.id} not at version ${v}`);
          version.set(r.id, v + 1);
        },
      );
      rows.push(summary(`raw pg: versioned UPDATE, ${per === 1 ? '1 row per statement (autocommit)' : `${per} rows per transaction`}`, lat, total, ms, { kind: per === 1 ? 'update-single' : 'update-batched' }));
    }
    progress('raw pg', rows.map((r) => `${r.label.split(': ')[1]} ${r.rowsPerSecond}/s`).join('; '));
    return { db: 'postgres', rows };
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
}
